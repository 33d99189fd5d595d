//! Graph structure of the transitions (with petgraph): strongly connected components, the
//! identifiable set, condensation levels, the undirected graphs of state pairs (seen both ways,
//! or either way), their triangles, cycle ranks and fundamental cycles, and directed cycles.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;

use crate::model::StateId;

/// Strongly connected components of a directed graph on `n` states.
#[derive(Debug, Clone, PartialEq)]
pub struct Components {
    /// Component index of each state.
    pub of: Vec<usize>,
    /// States of each component, sorted.
    pub members: Vec<Vec<StateId>>,
    /// Condensation level of each component: the length of the longest path from it to a
    /// component with no way out (sinks are level 0). The paper's initial guess for `V`.
    pub level: Vec<usize>,
}

impl Components {
    /// Components of the directed graph with the given edges (weights ignored; only edges with
    /// positive weight should be passed).
    pub fn new(n: usize, edges: impl IntoIterator<Item = (StateId, StateId)>) -> Components {
        let mut g = DiGraph::<(), ()>::with_capacity(n, 0);
        for _ in 0..n {
            g.add_node(());
        }
        let mut edge_list = Vec::new();
        for (f, t) in edges {
            g.add_edge(NodeIndex::new(f), NodeIndex::new(t), ());
            edge_list.push((f, t));
        }
        let mut members: Vec<Vec<StateId>> = kosaraju_scc(&g)
            .into_iter()
            .map(|c| {
                let mut v: Vec<StateId> = c.into_iter().map(NodeIndex::index).collect();
                v.sort_unstable();
                v
            })
            .collect();
        members.sort_by_key(|m| m[0]);
        let mut of = vec![0; n];
        for (c, m) in members.iter().enumerate() {
            for &s in m {
                of[s] = c;
            }
        }
        // Longest path to a sink in the condensation (a DAG): relax in reverse topological order.
        let k = members.len();
        let mut succ: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); k];
        let mut indeg = vec![0usize; k];
        for (f, t) in edge_list {
            let (a, b) = (of[f], of[t]);
            if a != b && succ[a].insert(b) {
                indeg[b] += 1;
            }
        }
        let mut order = Vec::with_capacity(k);
        let mut stack: Vec<usize> = (0..k).filter(|&c| indeg[c] == 0).collect();
        while let Some(c) = stack.pop() {
            order.push(c);
            for &d in &succ[c] {
                indeg[d] -= 1;
                if indeg[d] == 0 {
                    stack.push(d);
                }
            }
        }
        let mut level = vec![0usize; k];
        for &c in order.iter().rev() {
            level[c] = succ[c].iter().map(|&d| level[d] + 1).max().unwrap_or(0);
        }
        Components { of, members, level }
    }

    /// Number of components.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no components.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Components with at least two states: where a potential is finite.
    pub fn nontrivial(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&c| self.members[c].len() >= 2)
    }

    /// Condensation level of each state.
    pub fn state_levels(&self) -> Vec<usize> {
        self.of.iter().map(|&c| self.level[c]).collect()
    }
}

/// An undirected graph of state pairs: those observed in both directions, or in either.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs {
    /// Number of states.
    pub n: usize,
    /// Unordered pairs `(a, b)`, `a < b`.
    pub pairs: Vec<(StateId, StateId)>,
}

impl Pairs {
    /// The pairs seen in both directions among directed edges `(f, g)` (`f != g`).
    pub fn two_way(n: usize, edges: impl IntoIterator<Item = (StateId, StateId)>) -> Pairs {
        let set: BTreeSet<(StateId, StateId)> = edges.into_iter().filter(|(f, g)| f != g).collect();
        let pairs = set.iter().filter(|&&(f, g)| f < g && set.contains(&(g, f))).copied().collect();
        Pairs { n, pairs }
    }

    /// The pairs seen in at least one direction: the symmetrised support, on which the
    /// reversible estimate lives.
    pub fn either_way(n: usize, edges: impl IntoIterator<Item = (StateId, StateId)>) -> Pairs {
        let set: BTreeSet<(StateId, StateId)> =
            edges.into_iter().filter(|(f, g)| f != g).map(|(f, g)| (f.min(g), f.max(g))).collect();
        Pairs { n, pairs: set.into_iter().collect() }
    }

    /// Number of connected components of the undirected graph on all `n` states (isolated
    /// states count as components).
    pub fn component_count(&self) -> usize {
        let mut uf = UnionFind::<usize>::new(self.n);
        for &(a, b) in &self.pairs {
            uf.union(a, b);
        }
        let labels = uf.into_labeling();
        labels.iter().collect::<BTreeSet<_>>().len()
    }

    /// Cycle rank `E - n + #components`: the number of independent cycles. On the symmetrised
    /// support it is the degrees of freedom of the likelihood-ratio test of detailed balance.
    pub fn cycle_rank(&self) -> usize {
        self.pairs.len() + self.component_count() - self.n
    }

    /// Every triangle `a < b < c` whose three pairs are all two-way.
    pub fn triangles(&self) -> Vec<[StateId; 3]> {
        let mut adj: BTreeMap<StateId, BTreeSet<StateId>> = BTreeMap::new();
        for &(a, b) in &self.pairs {
            adj.entry(a).or_default().insert(b);
        }
        let mut out = Vec::new();
        for (&a, higher) in &adj {
            for &b in higher {
                if let Some(bh) = adj.get(&b) {
                    out.extend(higher.intersection(bh).map(|&c| [a, b, c]));
                }
            }
        }
        out
    }

    /// A cycle basis: one fundamental cycle per non-tree pair of a spanning forest (breadth
    /// first), each as the closed sequence of states `[s0, s1, ..., sk]` (without repeating s0).
    pub fn fundamental_cycles(&self) -> Vec<Vec<StateId>> {
        let mut g = UnGraph::<(), ()>::with_capacity(self.n, self.pairs.len());
        for _ in 0..self.n {
            g.add_node(());
        }
        for &(a, b) in &self.pairs {
            g.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
        }
        let mut parent: Vec<Option<StateId>> = vec![None; self.n];
        let mut depth = vec![usize::MAX; self.n];
        let mut tree = BTreeSet::new();
        for root in 0..self.n {
            if depth[root] != usize::MAX {
                continue;
            }
            depth[root] = 0;
            let mut queue = std::collections::VecDeque::from([root]);
            while let Some(u) = queue.pop_front() {
                let mut nbrs: Vec<StateId> =
                    g.neighbors(NodeIndex::new(u)).map(NodeIndex::index).collect();
                nbrs.sort_unstable();
                for v in nbrs {
                    if depth[v] == usize::MAX {
                        depth[v] = depth[u] + 1;
                        parent[v] = Some(u);
                        tree.insert((u.min(v), u.max(v)));
                        queue.push_back(v);
                    }
                }
            }
        }
        let mut cycles = Vec::new();
        for &(a, b) in &self.pairs {
            if tree.contains(&(a, b)) {
                continue;
            }
            // Walk both ends up to their lowest common ancestor.
            let (mut x, mut y) = (a, b);
            let (mut left, mut right) = (vec![a], vec![b]);
            while x != y {
                if depth[x] >= depth[y] {
                    x = parent[x].expect("tree parent");
                    left.push(x);
                } else {
                    y = parent[y].expect("tree parent");
                    right.push(y);
                }
            }
            // left runs a .. lca and right b .. lca: join them as a .. lca .. b.
            right.pop();
            right.reverse();
            left.extend(right);
            cycles.push(left);
        }
        cycles
    }
}

/// A shortest directed cycle through `start` along `edges` (adjacency lists), as the states in
/// order (without repeating `start`), if there is one.
pub fn shortest_cycle_through(adjacency: &[Vec<StateId>], start: StateId) -> Option<Vec<StateId>> {
    let n = adjacency.len();
    let mut parent = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::from([start]);
    let mut seen = vec![false; n];
    seen[start] = true;
    while let Some(u) = queue.pop_front() {
        for &v in &adjacency[u] {
            if v == start {
                let mut cycle = vec![u];
                let mut x = u;
                while x != start {
                    x = parent[x];
                    cycle.push(x);
                }
                cycle.reverse();
                return Some(cycle);
            }
            if !seen[v] {
                seen[v] = true;
                parent[v] = u;
                queue.push_back(v);
            }
        }
    }
    None
}

/// A one-dimensional layout of `n` states for drawing: the position (0 to n - 1) of each state
/// in a breadth-first walk of the undirected transition graph. The walk starts from the first
/// state of `roots` (then the next unvisited one, for other parts of the graph) and visits
/// neighbours by decreasing count, so states that exchange many transitions sit side by side.
pub fn breadth_first_order(
    n: usize,
    edges: impl IntoIterator<Item = (usize, usize, f64)>,
    roots: &[usize],
) -> Vec<usize> {
    let mut neighbours: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (f, g, c) in edges {
        if f != g && f < n && g < n {
            neighbours[f].push((g, c));
            neighbours[g].push((f, c));
        }
    }
    for list in &mut neighbours {
        list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    let mut position = vec![usize::MAX; n];
    let mut next = 0;
    let mut queue = std::collections::VecDeque::new();
    for root in roots.iter().copied().chain(0..n) {
        if root >= n || position[root] != usize::MAX {
            continue;
        }
        position[root] = next;
        next += 1;
        queue.push_back(root);
        while let Some(f) = queue.pop_front() {
            for &(g, _) in &neighbours[f] {
                if position[g] == usize::MAX {
                    position[g] = next;
                    next += 1;
                    queue.push_back(g);
                }
            }
        }
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_and_levels_of_the_claude4_graph() {
        // 0 ATTITUDE, 1 PERSONAL, 2 PROBLEMS, 3 TURKEY, 4 BUZZY
        let edges = [(0, 1), (0, 2), (1, 0), (2, 0), (3, 0), (4, 0), (4, 3)];
        let c = Components::new(5, edges);
        assert_eq!(c.len(), 3);
        assert_eq!(c.of[0], c.of[1]);
        assert_eq!(c.of[0], c.of[2]);
        assert_ne!(c.of[3], c.of[4]);
        assert_eq!(c.nontrivial().count(), 1);
        let lv = c.state_levels();
        assert_eq!((lv[0], lv[3], lv[4]), (0, 1, 2));
    }

    #[test]
    fn two_way_pairs_cycle_rank_and_triangles() {
        let edges = [(0, 1), (1, 0), (1, 2), (2, 1), (2, 0), (0, 2), (2, 3), (3, 2), (3, 4)];
        let t = Pairs::two_way(5, edges);
        assert_eq!(t.pairs, vec![(0, 1), (0, 2), (1, 2), (2, 3)]);
        assert_eq!(t.component_count(), 2); // {0,1,2,3} and {4}
        assert_eq!(t.cycle_rank(), 1);
        // Either way, the one-way edge 3 -> 4 joins the graph (no new cycle).
        let e = Pairs::either_way(5, edges);
        assert_eq!(e.pairs.len(), 5);
        assert_eq!(e.cycle_rank(), 1);
        // A directed 3-cycle never reversed: no two-way pair, one cycle either way.
        let ring = [(0, 1), (1, 2), (2, 0)];
        assert_eq!(Pairs::two_way(3, ring).cycle_rank(), 0);
        assert_eq!(Pairs::either_way(3, ring).cycle_rank(), 1);
        assert_eq!(t.triangles(), vec![[0, 1, 2]]);
        let cycles = t.fundamental_cycles();
        assert_eq!(cycles.len(), 1);
        let mut c = cycles[0].clone();
        c.sort_unstable();
        assert_eq!(c, vec![0, 1, 2]);
    }

    #[test]
    fn fundamental_cycles_are_closed_walks_on_pairs() {
        // A 5-ring with a chord: rank 2.
        let mut edges = Vec::new();
        for (a, b) in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (1, 3)] {
            edges.push((a, b));
            edges.push((b, a));
        }
        let t = Pairs::two_way(5, edges);
        assert_eq!(t.cycle_rank(), 2);
        let pairs: BTreeSet<_> = t.pairs.iter().copied().collect();
        for cycle in t.fundamental_cycles() {
            assert!(cycle.len() >= 3);
            for i in 0..cycle.len() {
                let (a, b) = (cycle[i], cycle[(i + 1) % cycle.len()]);
                assert!(pairs.contains(&(a.min(b), a.max(b))), "{cycle:?}");
            }
        }
    }

    #[test]
    fn breadth_first_order_puts_strong_neighbours_next_to_the_root() {
        // 0 - 1 (weak), 0 - 2 (strong), 2 - 3; 4 alone; the walk starts at 2.
        let edges = [(0, 1, 1.0), (2, 0, 9.0), (2, 3, 2.0), (3, 3, 5.0)];
        let order = breadth_first_order(5, edges, &[2]);
        assert_eq!(order, vec![1, 3, 0, 2, 4]);
        // Every position is used once.
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
    }
}
