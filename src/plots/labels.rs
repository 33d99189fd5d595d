//! Places text labels on a figure so that none overlaps another or anything else drawn.

/// A rectangle in canvas pixels (`x0 <= x1`, `y0 <= y1`, y downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl Rect {
    /// The `w` × `h` rectangle whose top edge is centred on `(cx, top)`.
    pub fn hanging(cx: f64, top: f64, (w, h): (f64, f64)) -> Rect {
        Rect { x0: cx - w / 2.0, y0: top, x1: cx + w / 2.0, y1: top + h }
    }

    /// The `w` × `h` rectangle whose bottom edge is centred on `(cx, bottom)`.
    pub fn standing(cx: f64, bottom: f64, (w, h): (f64, f64)) -> Rect {
        Rect { x0: cx - w / 2.0, y0: bottom - h, x1: cx + w / 2.0, y1: bottom }
    }

    /// The `w` × `h` rectangle whose left edge is centred on `(left, cy)`.
    pub fn right_of(left: f64, cy: f64, (w, h): (f64, f64)) -> Rect {
        Rect { x0: left, y0: cy - h / 2.0, x1: left + w, y1: cy + h / 2.0 }
    }

    /// Whether the two share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// The rectangle grown by `by` on every side.
    pub fn grown(&self, by: f64) -> Rect {
        Rect { x0: self.x0 - by, y0: self.y0 - by, x1: self.x1 + by, y1: self.y1 + by }
    }

    /// The rectangle moved sideways by the least that puts it within `outer`'s left and right
    /// edges (unchanged when it is wider than `outer`).
    pub fn shifted_into(&self, outer: &Rect) -> Rect {
        let dx = if self.x0 < outer.x0 {
            outer.x0 - self.x0
        } else if self.x1 > outer.x1 {
            outer.x1 - self.x1
        } else {
            0.0
        };
        Rect { x0: self.x0 + dx, x1: self.x1 + dx, ..*self }
    }

    /// Whether the rectangle lies wholly inside `outer`.
    pub fn inside(&self, outer: &Rect) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }
}

/// Places labels one at a time: each goes to the first of its candidate positions (moved
/// sideways into the bounds where one sticks out) that lies inside the bounds and comes no
/// nearer than a gap to an obstacle or a label placed before it (so that neighbouring labels
/// never read as one).
#[derive(Debug, Clone)]
pub struct Placer {
    bounds: Rect,
    taken: Vec<Rect>,
    obstacles: usize,
    gap: f64,
}

impl Placer {
    /// A placer for labels inside `bounds`, around `obstacles` (lines, markers) no label may
    /// cover, keeping `gap` pixels between labels.
    pub fn new(bounds: Rect, obstacles: Vec<Rect>, gap: f64) -> Placer {
        let obstacles_len = obstacles.len();
        Placer { bounds, taken: obstacles, obstacles: obstacles_len, gap }
    }

    /// The first free candidate, now taken; `None` when every candidate collides.
    pub fn place(&mut self, candidates: impl IntoIterator<Item = Rect>) -> Option<Rect> {
        let free = candidates.into_iter().map(|c| c.shifted_into(&self.bounds)).find(|c| {
            let near = c.grown(self.gap);
            c.inside(&self.bounds) && !self.taken.iter().any(|t| t.overlaps(&near))
        })?;
        self.taken.push(free);
        Some(free)
    }

    /// The labels placed so far, in order.
    pub fn labels(&self) -> &[Rect] {
        &self.taken[self.obstacles..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect { x0: 0.0, y0: 0.0, x1: 100.0, y1: 100.0 };

    #[test]
    fn a_label_takes_the_first_candidate_that_is_free_and_inside() {
        let bar = Rect { x0: 10.0, y0: 49.0, x1: 40.0, y1: 51.0 };
        let mut placer = Placer::new(BOUNDS, vec![bar], 0.0);
        let size = (30.0, 10.0);
        // Across the bar, then above the top, then free.
        let got = placer.place([
            Rect::standing(25.0, 55.0, size),
            Rect::standing(25.0, 5.0, size),
            Rect::standing(25.0, 48.0, size),
        ]);
        assert_eq!(got, Some(Rect { x0: 10.0, y0: 38.0, x1: 40.0, y1: 48.0 }));
        // The same spot is now taken; below the bar is free.
        let next =
            placer.place([Rect::standing(25.0, 48.0, size), Rect::hanging(25.0, 52.0, size)]);
        assert_eq!(next, Some(Rect { x0: 10.0, y0: 52.0, x1: 40.0, y1: 62.0 }));
        assert_eq!(placer.place([Rect::hanging(30.0, 55.0, size)]), None);
        assert_eq!(placer.labels().len(), 2);
        let labels = placer.labels();
        assert!(!labels[0].overlaps(&labels[1]) && !labels.iter().any(|l| l.overlaps(&bar)));
    }

    #[test]
    fn a_label_sticking_out_sideways_is_moved_in() {
        let mut placer = Placer::new(BOUNDS, Vec::new(), 0.0);
        let got = placer.place([Rect::standing(95.0, 30.0, (30.0, 10.0))]);
        assert_eq!(got, Some(Rect { x0: 70.0, y0: 20.0, x1: 100.0, y1: 30.0 }));
    }

    #[test]
    fn labels_keep_their_gap() {
        let mut placer = Placer::new(BOUNDS, Vec::new(), 3.0);
        let size = (20.0, 10.0);
        assert!(placer.place([Rect::right_of(10.0, 50.0, size)]).is_some());
        // 2 px to the right of the first is too near; 3 px is far enough.
        assert_eq!(placer.place([Rect::right_of(32.0, 50.0, size)]), None);
        assert!(placer.place([Rect::right_of(33.0, 50.0, size)]).is_some());
    }

    #[test]
    fn touching_edges_do_not_overlap() {
        let a = Rect { x0: 0.0, y0: 0.0, x1: 10.0, y1: 10.0 };
        assert!(!a.overlaps(&Rect { x0: 10.0, y0: 0.0, x1: 20.0, y1: 10.0 }));
        assert!(a.overlaps(&Rect { x0: 9.0, y0: 9.0, x1: 20.0, y1: 20.0 }));
        assert_eq!(
            Rect::right_of(5.0, 10.0, (4.0, 2.0)),
            Rect { x0: 5.0, y0: 9.0, x1: 9.0, y1: 11.0 }
        );
    }
}
