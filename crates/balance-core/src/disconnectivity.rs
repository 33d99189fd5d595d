//! The disconnectivity graph of an energy landscape: which low states are separated from which
//! by how high a barrier.
//!
//! The barrier of a transition is `V(i) - ln T(i -> j) / beta`: the potential of its start plus
//! the "activation" its rarity implies. Under detailed balance it is the same both ways, so each
//! pair of states has one barrier; where the data give both directions their mean is used, and
//! where they give one, that one. Joining states in order of rising barrier (Kruskal's
//! algorithm) builds a tree: each leaf a local minimum at its potential, each branch point the
//! lowest barrier over which two basins meet. Only the largest component, where potentials
//! compare, is drawn.

use std::collections::BTreeMap;

use crate::report::Report;

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Its height: a leaf's potential, or the barrier where its two branches meet.
    pub height: f64,
    /// The state of a leaf (an index into the report's states).
    pub state: Option<usize>,
    /// The branches meeting here (none for a leaf).
    pub children: Vec<usize>,
    /// Where it is drawn across, from 0 to the number of leaves minus one: leaves in the order
    /// that keeps each basin together, branch points midway between their children.
    pub x: f64,
}

/// A disconnectivity graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// Every node; the root is the last.
    pub nodes: Vec<Node>,
    /// The number of leaves.
    pub leaves: usize,
}

impl Tree {
    /// The root: the barrier over which every basin meets.
    pub fn root(&self) -> &Node {
        &self.nodes[self.nodes.len() - 1]
    }
}

/// Union-find over states, each set remembering its tree node.
struct Basins {
    parent: Vec<usize>,
    node: Vec<Option<usize>>,
}

impl Basins {
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
}

/// The disconnectivity graph of the largest component of `report` (beta from its settings), its
/// leaves the local minima: states with no neighbour lower. `None` when the component has no
/// two states joined by a transition.
pub fn of_report(report: &Report) -> Option<Tree> {
    let beta = report.settings.beta;
    let v = |i: usize| {
        let s = &report.states[i];
        if s.component == Some(0) { s.potential } else { None }
    };
    // Barriers of each unordered pair, from one or both directions.
    let mut pairs: BTreeMap<(usize, usize), (f64, usize)> = BTreeMap::new();
    for t in &report.transitions {
        let (i, j) = (t.source, t.target);
        let (Some(vi), Some(_)) = (v(i), v(j)) else { continue };
        if i == j || t.weight <= 0.0 {
            continue;
        }
        let barrier = vi - t.weight.ln() / beta;
        let e = pairs.entry((i.min(j), i.max(j))).or_insert((0.0, 0));
        e.0 += barrier;
        e.1 += 1;
    }
    let mut edges: Vec<(f64, usize, usize)> =
        pairs.into_iter().map(|((i, j), (sum, n))| (sum / n as f64, i, j)).collect();
    if edges.is_empty() {
        return None;
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = report.states.len();
    // A local minimum has no neighbour lower than itself.
    let mut minimum: Vec<bool> = (0..n).map(|i| v(i).is_some()).collect();
    for &(_, i, j) in &edges {
        let (vi, vj) = (v(i).unwrap_or(f64::NAN), v(j).unwrap_or(f64::NAN));
        if vi < vj {
            minimum[j] = false;
        } else if vj < vi {
            minimum[i] = false;
        }
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut basins = Basins { parent: (0..n).collect(), node: vec![None; n] };
    for i in (0..n).filter(|&i| minimum[i]) {
        basins.node[i] = Some(nodes.len());
        let height = v(i).unwrap_or_default();
        nodes.push(Node { height, state: Some(i), children: Vec::new(), x: 0.0 });
    }
    for (barrier, i, j) in edges {
        let (a, b) = (basins.find(i), basins.find(j));
        if a == b {
            continue;
        }
        basins.parent[b] = a;
        basins.node[a] = match (basins.node[a], basins.node[b]) {
            (Some(x), Some(y)) => {
                // A branch point stands no lower than either branch.
                let height = barrier.max(nodes[x].height).max(nodes[y].height);
                nodes.push(Node { height, state: None, children: vec![x, y], x: 0.0 });
                Some(nodes.len() - 1)
            }
            (x, y) => x.or(y),
        };
    }
    // The tree of the largest component is the one with the most leaves (a component holds
    // one minimum at least).
    let roots: Vec<usize> = (0..n).filter(|&i| basins.find(i) == i).collect();
    let root = roots
        .into_iter()
        .filter_map(|i| basins.node[i])
        .max_by_key(|&r| count_leaves(&nodes, r))?;
    let mut kept = Vec::new();
    collect(&nodes, root, &mut kept);
    // Renumber the kept nodes (children before parents, the root last) and lay them out.
    let mut index = vec![usize::MAX; nodes.len()];
    for (k, &old) in kept.iter().enumerate() {
        index[old] = k;
    }
    let mut tree: Vec<Node> = kept
        .iter()
        .map(|&old| {
            let mut node = nodes[old].clone();
            node.children = node.children.iter().map(|&c| index[c]).collect();
            node
        })
        .collect();
    let mut next = 0.0;
    place(&mut tree, kept.len() - 1, &mut next);
    let leaves = tree.iter().filter(|n| n.children.is_empty()).count();
    Some(Tree { nodes: tree, leaves })
}

/// The number of leaves under `node`.
fn count_leaves(nodes: &[Node], node: usize) -> usize {
    if nodes[node].children.is_empty() {
        1
    } else {
        nodes[node].children.iter().map(|&c| count_leaves(nodes, c)).sum()
    }
}

/// The nodes under `node` (itself included), children first.
fn collect(nodes: &[Node], node: usize, out: &mut Vec<usize>) {
    for &c in &nodes[node].children {
        collect(nodes, c, out);
    }
    out.push(node);
}

/// Lays out the subtree of `node`: leaves one apart from `next` on, the lower branch first so
/// that the deepest basin sits at the left of each pair; branch points midway.
fn place(tree: &mut [Node], node: usize, next: &mut f64) {
    if tree[node].children.is_empty() {
        tree[node].x = *next;
        *next += 1.0;
        return;
    }
    let mut children = tree[node].children.clone();
    children.sort_by(|&a, &b| lowest(tree, a).total_cmp(&lowest(tree, b)));
    for &c in &children {
        place(tree, c, next);
    }
    let xs: Vec<f64> = children.iter().map(|&c| tree[c].x).collect();
    tree[node].x = xs.iter().sum::<f64>() / xs.len() as f64;
    tree[node].children = children;
}

/// The lowest leaf under `node`.
fn lowest(tree: &[Node], node: usize) -> f64 {
    if tree[node].children.is_empty() {
        tree[node].height
    } else {
        tree[node].children.iter().map(|&c| lowest(tree, c)).fold(f64::INFINITY, f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::Dataset;
    use crate::model::Counts;
    use crate::{Settings, analyze};

    /// Counts of a Metropolis chain on `v` along `links`, each proposed with probability `q`,
    /// from `attempts` attempts per state (the rest rejected).
    fn metropolis(v: &[f64], links: &[(usize, usize)], q: f64, attempts: f64) -> Dataset {
        let label = |i: usize| format!("S{i}");
        let mut counts = Counts::new();
        let mut moved = vec![0.0; v.len()];
        for &(i, j) in links {
            for (a, b) in [(i, j), (j, i)] {
                let n = (attempts * q * (-(v[b] - v[a])).exp().min(1.0)).round();
                counts.add_transition(&label(a), &label(b), n);
                moved[a] += n;
            }
        }
        for (i, m) in moved.iter().enumerate() {
            counts.add_rejection(&label(i), attempts - m);
        }
        Dataset::of_counts("metropolis", "", counts)
    }

    #[test]
    fn two_wells_meet_over_the_saddle_and_the_deeper_stands_left() {
        // S0 (0) - S1 (2) - S2 (0.5) - S3 (1.5) - S4 (0.2): wells at S0, S2 and S4; the saddle
        // between S2 and S4 is S3 (1.5), the one to S0 is S1 (2).
        let v = [0.0, 2.0, 0.5, 1.5, 0.2];
        let d = metropolis(&v, &[(0, 1), (1, 2), (2, 3), (3, 4)], 0.1, 1e7);
        // The heights are in the report's gauge: the lowest state at 0, as the truth's.
        let settings =
            Settings { gauge: crate::potential::Gauge::LowestZero, ..Settings::default() };
        let report = analyze(&d, &settings).unwrap();
        let tree = of_report(&report).unwrap();
        assert_eq!(tree.leaves, 3);
        let leaf = |label: &str| {
            tree.nodes.iter().find(|n| n.state.is_some_and(|s| report.states[s].label == label))
        };
        let (s0, s2, s4) = (leaf("S0").unwrap(), leaf("S2").unwrap(), leaf("S4").unwrap());
        assert!(leaf("S1").is_none() && leaf("S3").is_none(), "saddles are not leaves");
        // Metropolis barriers: the higher state plus -ln q.
        let lift = -(0.1f64).ln();
        let root = tree.root();
        assert!((root.height - (2.0 + lift)).abs() < 0.01, "{}", root.height);
        let inner = &tree.nodes[root.children[1]];
        assert!((inner.height - (1.5 + lift)).abs() < 0.01, "{}", inner.height);
        // S0 is the deepest: leftmost; within the other basin S4 (0.2) left of S2 (0.5).
        assert!(s0.x < s4.x && s4.x < s2.x, "{} {} {}", s0.x, s4.x, s2.x);
        assert!((root.x - (s0.x + inner.x) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn no_tree_without_transitions_between_placed_states() {
        let mut counts = Counts::new();
        counts.add_transition("A", "B", 5.0);
        let d = Dataset::of_counts("one way", "", counts);
        let report = analyze(&d, &Settings::default()).unwrap();
        assert_eq!(of_report(&report), None);
    }
}
