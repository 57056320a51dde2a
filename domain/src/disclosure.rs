//! Small counts in published tables (issue #14's shared links): a count from 1 to 4 is shown as
//! "<5", and enough other entries are masked with it (complementary suppression) that no masked
//! entry can be worked out from what is shown: not from its row, its column, the totals, nor
//! any combination of them.
//!
//! A table is its cells (units by categories), each row's total, each column's total and the
//! grand total. Seen as a graph, every entry is an edge: a cell joins its row to its column, a
//! row total joins its row to the "all columns" node, a column total its column to the "all
//! rows" node, the grand total those two nodes; each node says its edges add up. Two tables
//! that agree on every shown entry differ by a sum of cycles of masked edges, each moving its
//! edges by +1 or −1 in turn (the constraint matrix of such a graph is totally unimodular, so
//! one such cycle, followed in one direction, already gives a second table). So a masked entry
//! can be worked out exactly when no cycle of masked edges through it can move without taking
//! an entry below zero; [`solvable`] checks that, and [`suppress`] masks until nothing is.
//!
//! Cost: the audit follows simple paths of masked edges, which grows exponentially with the
//! table. Measured (release): 8 rows by 5 columns 52 µs, 12 by 6 0.4 ms; 20 by 8 did not finish
//! in five minutes. So the shared views do not use it: they mask a county's tree of sums one
//! measure at a time with a linear rule of its own ([`suppress_tree`], through
//! `hierarchy::UnitTree`), checked against trying every table. [`suppress`] and [`solvable`]
//! stay the general rule for a table of many columns and the audit the tests hold it to; a
//! table of a county's size would need the bounds of each masked entry by max-flow on this
//! same graph (polynomial) before it used them.

/// One entry of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entry {
    Cell(usize, usize),
    RowTotal(usize),
    ColumnTotal(usize),
    Total,
}

/// Which entries are masked ("<5" or masked with them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masked {
    pub cells: Vec<Vec<bool>>,
    pub row_totals: Vec<bool>,
    pub column_totals: Vec<bool>,
    pub total: bool,
}

impl Masked {
    pub fn is_masked(&self, entry: Entry) -> bool {
        match entry {
            Entry::Cell(row, column) => self.cells[row][column],
            Entry::RowTotal(row) => self.row_totals[row],
            Entry::ColumnTotal(column) => self.column_totals[column],
            Entry::Total => self.total,
        }
    }

    fn mask(&mut self, entry: Entry) {
        match entry {
            Entry::Cell(row, column) => self.cells[row][column] = true,
            Entry::RowTotal(row) => self.row_totals[row] = true,
            Entry::ColumnTotal(column) => self.column_totals[column] = true,
            Entry::Total => self.total = true,
        }
    }
}

/// The smallest count shown as itself; 1 to 4 are shown as "<5". Zero is shown: an empty cell
/// names nobody.
pub const SMALLEST_SHOWN: u64 = 5;

/// A table as the graph above: each entry an edge with its value and its two ends, each end with
/// the sign the entry has in that node's sum.
struct Graph {
    edges: Vec<Edge>,
    nodes: usize,
}

#[derive(Clone, Copy)]
struct Edge {
    entry: Entry,
    value: u64,
    ends: [(usize, i8); 2],
}

impl Graph {
    /// Rows are nodes `0..rows`, columns `rows..rows + columns`, then "all columns" and "all rows".
    fn of(cells: &[Vec<u64>]) -> Graph {
        let rows = cells.len();
        let columns = cells.first().map_or(0, Vec::len);
        let (all_columns, all_rows) = (rows + columns, rows + columns + 1);
        let mut edges = Vec::new();
        for (row, line) in cells.iter().enumerate() {
            for (column, value) in line.iter().enumerate() {
                edges.push(Edge {
                    entry: Entry::Cell(row, column),
                    value: *value,
                    ends: [(row, 1), (rows + column, 1)],
                });
            }
            let total = line.iter().sum();
            edges.push(Edge { entry: Entry::RowTotal(row), value: total, ends: [(row, -1), (all_columns, 1)] });
        }
        for column in 0..columns {
            let total = cells.iter().map(|line| line[column]).sum();
            edges.push(Edge {
                entry: Entry::ColumnTotal(column),
                value: total,
                ends: [(rows + column, -1), (all_rows, 1)],
            });
        }
        let total = cells.iter().flatten().sum();
        edges.push(Edge { entry: Entry::Total, value: total, ends: [(all_columns, -1), (all_rows, -1)] });
        Graph { edges, nodes: rows + columns + 2 }
    }

    fn sign_at(&self, edge: usize, node: usize) -> Option<i8> {
        self.edges[edge].ends.iter().find(|(end, _)| *end == node).map(|(_, sign)| *sign)
    }

    fn other_end(&self, edge: usize, node: usize) -> usize {
        let [(a, _), (b, _)] = self.edges[edge].ends;
        if a == node {
            b
        } else {
            a
        }
    }

    /// Whether some cycle of masked edges through `start` can move (see the module's text).
    fn can_move(&self, start: usize, masked: &[bool]) -> bool {
        let [(from, _), (to, _)] = self.edges[start].ends;
        let mut path = vec![(start, 1i8)];
        let mut visited = vec![false; self.nodes];
        visited[to] = true;
        self.search(to, from, masked, &mut path, &mut visited)
    }

    /// Depth-first over simple paths of masked edges from `node` back to `goal`, each edge's move
    /// set so that `node`'s sum is kept; a closed cycle moves if, in one direction or the other,
    /// every edge it lowers is at least 1.
    fn search(
        &self,
        node: usize,
        goal: usize,
        masked: &[bool],
        path: &mut Vec<(usize, i8)>,
        visited: &mut [bool],
    ) -> bool {
        let Some(&(last, last_move)) = path.last() else { return false };
        let Some(last_sign) = self.sign_at(last, node) else { return false };
        for edge in 0..self.edges.len() {
            if !masked[edge] || path.iter().any(|(e, _)| *e == edge) {
                continue;
            }
            let Some(sign) = self.sign_at(edge, node) else { continue };
            // last_sign·last_move + sign·move = 0 at `node`.
            let step = -last_sign * last_move * sign;
            let next = self.other_end(edge, node);
            path.push((edge, step));
            if next == goal {
                let (first, first_move) = path[0];
                let closes = self
                    .sign_at(first, goal)
                    .zip(self.sign_at(edge, goal))
                    .is_some_and(|(first_sign, sign)| first_sign * first_move + sign * step == 0);
                let lowered_ok =
                    |direction: i8| path.iter().all(|(e, m)| direction * m > 0 || self.edges[*e].value >= 1);
                if closes && (lowered_ok(1) || lowered_ok(-1)) {
                    return true;
                }
            } else if !visited[next] {
                visited[next] = true;
                if self.search(next, goal, masked, path, visited) {
                    return true;
                }
                visited[next] = false;
            }
            path.pop();
        }
        false
    }
}

fn masked_edges(graph: &Graph, masked: &Masked) -> Vec<bool> {
    graph.edges.iter().map(|edge| masked.is_masked(edge.entry)).collect()
}

/// The masked entries of `cells` that can be worked out from the entries shown.
pub fn solvable(cells: &[Vec<u64>], masked: &Masked) -> Vec<Entry> {
    let graph = Graph::of(cells);
    let on = masked_edges(&graph, masked);
    (0..graph.edges.len())
        .filter(|edge| on[*edge] && !graph.can_move(*edge, &on))
        .map(|e| graph.edges[e].entry)
        .collect()
}

/// [`suppress`] for a table of one column whose total is shown (0, or 5 and more): the view's
/// tables, units below by one measure, a county's hundreds of towns among them, where the
/// general search grows too fast (330 rows: 56 ms). Each row's total is its cell, so the two
/// are masked together. Two or more masked cells under a shown total cannot be worked out: a
/// count from 1 to 4 can go down by one while another masked cell goes up by one, and any
/// masked cell can go up while a small one goes down, and the total stays. So a lone small
/// count takes one partner, the smallest other cell; more need none. `None` for any other
/// table.
fn suppress_column(cells: &[Vec<u64>]) -> Option<Masked> {
    if cells.is_empty() || cells.iter().any(|row| row.len() != 1) {
        return None;
    }
    let column: Vec<u64> = cells.iter().map(|row| row[0]).collect();
    let total: u64 = column.iter().sum();
    if (1..SMALLEST_SHOWN).contains(&total) {
        return None;
    }
    let mut hidden: Vec<bool> = column.iter().map(|count| (1..SMALLEST_SHOWN).contains(count)).collect();
    if hidden.iter().filter(|masked| **masked).count() == 1 {
        let partner = (0..column.len()).filter(|row| !hidden[*row]).min_by_key(|row| (column[*row], *row))?;
        hidden[partner] = true;
    }
    Some(Masked {
        cells: hidden.iter().map(|masked| vec![*masked]).collect(),
        row_totals: hidden,
        column_totals: vec![false],
        total: false,
    })
}

/// A count that must be masked for itself: 1 to 4.
pub(crate) fn small(count: u64) -> bool {
    (1..SMALLEST_SHOWN).contains(&count)
}

/// What to mask in a hierarchy of sums, the same in every table it is shown in: units (a county,
/// its towns, their schools, their grades) where each one's count is the sum of the units below
/// it, and each unit is shown as a row of its parent's table and as the total of its own. A
/// masked unit is masked in both, so nothing can be worked out by putting two tables side by
/// side (a town's total from its own link against its row in the county's).
///
/// `parents[unit]` is the unit it adds up into (`None` for a top unit, or for one whose count is
/// not part of its parent's: the caller unlinks those); `counts[unit]` its count, a parent's
/// being the sum of its children's. Linear in the units, so a county of thousands takes no time.
///
/// The rule, and why no masked count follows from the shown ones, with each count at least 0:
/// 1. every count from 1 to 4 is masked;
/// 2. a shown unit with exactly one masked unit below it takes a partner: the smallest other
///    unit below it (a zero first: it names nobody and can go up);
/// 3. a masked unit has a masked unit below it (if it has any below), one of at least 1 if it
///    is at least 1, the smallest such.
///
/// A masked count X of at least 1 can go down by one: down from X through masked units of at
/// least 1 (rule 3) to the bottom, up from X through masked parents (each at least X) to the
/// first shown one A, which by rules 1 and 2 has another masked unit S below it; S, and masked
/// units below S to the bottom (rule 3), go up by one. Every shown count keeps its value, no
/// count goes below zero. Reaching a masked top unit instead of A, the top goes down too (no
/// sum holds it). A masked count of 0 goes up the same way: up to the first parent with another
/// masked unit of at least 1 below it (a shown parent's masked units hold a count from 1 to 4 by
/// rules 1 and 2; a masked parent of at least 1 holds one by rule 3), which goes down, or to a
/// masked top unit. The tests check this against trying every table.
pub fn suppress_tree(parents: &[Option<usize>], counts: &[u64]) -> Vec<bool> {
    let units = counts.len();
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); units];
    for (unit, parent) in parents.iter().enumerate() {
        if let Some(parent) = parent.filter(|parent| *parent < units && *parent != unit) {
            below[parent].push(unit);
        }
    }
    let families: Vec<&[usize]> = below.iter().map(Vec::as_slice).collect();
    suppress_families(&families, counts, counts.iter().map(|count| small(*count)).collect())
}

/// [`suppress_tree`] given each unit's family (the units that add up into it; none where they
/// do not), for a caller that keeps its tree's families, and the units to mask first
/// (`primary`: the counts from 1 to 4, or those of a count derived from a masked one).
///
/// With a primary count of 0 (a class's 无辍学班 where its dropouts are masked), rule 2 asks more
/// of a shown unit with masked units below it: two of them, one at least 1 (else the partner
/// is the smallest of at least 1, or, with none, the shown unit itself is masked); then the
/// proof above holds as it is: a masked 0 goes up to the first unit whose masked units below
/// hold another of at least 1.
pub(crate) fn suppress_families(below: &[&[usize]], counts: &[u64], primary: Vec<bool>) -> Vec<bool> {
    let units = counts.len();
    let mut above = vec![None; units];
    for (parent, family) in below.iter().enumerate() {
        for unit in *family {
            above[*unit] = Some(parent);
        }
    }
    let mut masked = primary;
    // Families to look at again: every unit's at first, then a family whose parent or one of
    // whose units was just masked. Each look masks at most one unit, and never unmasks one.
    let mut todo: Vec<usize> = (0..units).collect();
    let mut queued = vec![true; units];
    while let Some(parent) = todo.pop() {
        queued[parent] = false;
        let family = below.get(parent).copied().unwrap_or_default();
        if family.is_empty() {
            continue;
        }
        let cheapest = |wanted: &dyn Fn(usize) -> bool| {
            family
                .iter()
                .copied()
                .filter(|unit| !masked[*unit] && wanted(*unit))
                .min_by_key(|unit| (counts[*unit], *unit))
        };
        let masked_below = family.iter().filter(|unit| masked[**unit]).count();
        let holds_one = family.iter().any(|unit| masked[*unit] && counts[*unit] >= 1);
        let next = if !masked[parent] {
            if masked_below == 0 {
                None
            } else if !holds_one {
                Some(cheapest(&|unit| counts[unit] >= 1).unwrap_or(parent))
            } else if masked_below == 1 {
                Some(cheapest(&|_| true).unwrap_or(parent))
            } else {
                None
            }
        } else if counts[parent] >= 1 {
            (!holds_one).then(|| cheapest(&|unit| counts[unit] >= 1).or_else(|| cheapest(&|_| true))).flatten()
        } else {
            (masked_below == 0).then(|| cheapest(&|_| true)).flatten()
        };
        if let Some(unit) = next {
            masked[unit] = true;
            // Its own family (rule 3), its parent's (a second masked unit, or still one), and
            // the family above it.
            for family in [Some(unit), Some(parent), above[unit]].into_iter().flatten() {
                if !std::mem::replace(&mut queued[family], true) {
                    todo.push(family);
                }
            }
        }
    }
    masked
}

/// The counts from 1 to 4 of `cells`, masked: the primary suppression, before any partner.
pub fn small_counts(cells: &[Vec<u64>]) -> Masked {
    let graph = Graph::of(cells);
    primary(&graph, cells)
}

fn primary(graph: &Graph, cells: &[Vec<u64>]) -> Masked {
    let columns = cells.first().map_or(0, Vec::len);
    let mut masked = Masked {
        cells: vec![vec![false; columns]; cells.len()],
        row_totals: vec![false; cells.len()],
        column_totals: vec![false; columns],
        total: false,
    };
    for edge in graph.edges.iter().filter(|edge| (1..SMALLEST_SHOWN).contains(&edge.value)) {
        masked.mask(edge.entry);
    }
    masked
}

/// What to mask in `cells` (a rectangular table): every entry from 1 to 4, and more, cells
/// before totals and small counts before large, until no masked entry can be worked out.
pub fn suppress(cells: &[Vec<u64>]) -> Masked {
    if let Some(masked) = suppress_column(cells) {
        return masked;
    }
    let graph = Graph::of(cells);
    let mut masked = primary(&graph, cells);
    // Which unmasked entry to give up first: a cell before a total, a count above zero before a
    // zero (a zero cannot move down), the smaller count first.
    let cost = |edge: &Edge| (!matches!(edge.entry, Entry::Cell(..)), edge.value == 0, edge.value);
    loop {
        let on = masked_edges(&graph, &masked);
        let Some(stuck) = (0..graph.edges.len()).find(|edge| on[*edge] && !graph.can_move(*edge, &on)) else {
            return masked;
        };
        // Grow the masked edges around the stuck one: the nodes they reach from its ends, then
        // the cheapest unmasked entry there, one that closes a cycle (both ends reached) first.
        // A stuck entry whose reach has no unmasked entry left takes the cheapest anywhere.
        // Each round masks one more entry, and a table masked whole has nothing solvable, so
        // this ends.
        let mut reached = vec![false; graph.nodes];
        let mut queue: Vec<usize> = graph.edges[stuck].ends.iter().map(|(node, _)| *node).collect();
        while let Some(node) = queue.pop() {
            if std::mem::replace(&mut reached[node], true) {
                continue;
            }
            for edge in (0..graph.edges.len()).filter(|edge| on[*edge]) {
                if graph.sign_at(edge, node).is_some() {
                    queue.push(graph.other_end(edge, node));
                }
            }
        }
        let unmasked = (0..graph.edges.len()).filter(|edge| !on[*edge]);
        let touching = |edge: &usize| graph.edges[*edge].ends.iter().filter(|(node, _)| reached[*node]).count();
        let near = unmasked
            .clone()
            .filter(|edge| touching(edge) > 0)
            .min_by_key(|edge| (touching(edge) < 2, cost(&graph.edges[*edge])));
        let Some(next) = near.or_else(|| unmasked.min_by_key(|edge| cost(&graph.edges[*edge]))) else {
            return masked;
        };
        masked.mask(graph.edges[next].entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_lone_small_count_is_solved_from_its_row_until_a_partner_is_masked() {
        // Two schools by two stages: school 1 has 3 primary dropouts.
        let cells = vec![vec![3, 12], vec![9, 20]];
        let naive = small_counts(&cells);
        assert!(solvable(&cells, &naive).contains(&Entry::Cell(0, 0)), "15 − 12 gives it away");
        let masked = suppress(&cells);
        assert!(masked.cells[0][0]);
        assert_eq!(solvable(&cells, &masked), []);
        // Cells went before totals: the totals are all shown.
        assert!(!masked.total && masked.row_totals.iter().all(|m| !m) && masked.column_totals.iter().all(|m| !m));
        assert_eq!(masked.cells, [[true, true], [true, true]]);
    }

    #[test]
    fn zeros_are_shown_and_a_table_without_small_counts_is_shown_whole() {
        let cells = vec![vec![0, 12], vec![9, 0]];
        let masked = suppress(&cells);
        assert_eq!(masked, small_counts(&cells));
        assert!(masked.cells.iter().flatten().all(|m| !m));
    }

    /// Tables of small counts, 1 to 4 rows and columns.
    fn table() -> impl Strategy<Value = Vec<Vec<u64>>> {
        (1usize..=4, 1usize..=4).prop_flat_map(|(rows, columns)| {
            proptest::collection::vec(proptest::collection::vec(0u64..=12, columns), rows)
        })
    }

    /// The masked entries that take one value in every table agreeing with the shown entries,
    /// found by trying every table with cells up to one more than the largest: a second table,
    /// when there is one, is a cycle's move of 1 away (the module's text).
    fn solvable_by_trying(cells: &[Vec<u64>], masked: &Masked) -> Vec<Entry> {
        let (rows, columns) = (cells.len(), cells[0].len());
        let bound = cells.iter().flatten().max().copied().unwrap_or(0) + 1;
        let entries = |table: &[u64]| {
            let cell = |row: usize, column: usize| table[row * columns + column];
            let mut all: Vec<(Entry, u64)> = Vec::new();
            for row in 0..rows {
                for column in 0..columns {
                    all.push((Entry::Cell(row, column), cell(row, column)));
                }
                all.push((Entry::RowTotal(row), (0..columns).map(|column| cell(row, column)).sum()));
            }
            for column in 0..columns {
                all.push((Entry::ColumnTotal(column), (0..rows).map(|row| cell(row, column)).sum()));
            }
            all.push((Entry::Total, table.iter().sum()));
            all
        };
        let truth: Vec<u64> = cells.iter().flatten().copied().collect();
        let seen = entries(&truth);
        let mut moves = vec![false; seen.len()];
        let mut table = vec![0u64; truth.len()];
        loop {
            let these = entries(&table);
            let agrees =
                these.iter().zip(&seen).all(|((entry, value), (_, shown))| masked.is_masked(*entry) || value == shown);
            if agrees {
                for (index, ((_, value), (_, real))) in these.iter().zip(&seen).enumerate() {
                    moves[index] |= value != real;
                }
            }
            // The next table, counting in base `bound + 1`.
            let Some(position) = table.iter().position(|value| *value < bound) else { break };
            table[position] += 1;
            table[..position].iter_mut().for_each(|value| *value = 0);
        }
        seen.iter()
            .zip(moves)
            .filter(|((entry, _), moved)| masked.is_masked(*entry) && !moved)
            .map(|((entry, _), _)| *entry)
            .collect()
    }

    fn small_table_and_mask() -> impl Strategy<Value = (Vec<Vec<u64>>, Masked)> {
        (1usize..=2, 1usize..=3).prop_flat_map(|(rows, columns)| {
            (
                proptest::collection::vec(proptest::collection::vec(0u64..=4, columns), rows),
                proptest::collection::vec(proptest::collection::vec(any::<bool>(), columns), rows),
                proptest::collection::vec(any::<bool>(), rows),
                proptest::collection::vec(any::<bool>(), columns),
                any::<bool>(),
            )
                .prop_map(|(cells, masked_cells, row_totals, column_totals, total)| {
                    (cells, Masked { cells: masked_cells, row_totals, column_totals, total })
                })
        })
    }

    /// A forest of sums: a top unit or two, units below them, and below those (1 to 8 at the
    /// bottom, each 0 to 6), every parent the sum of its units. `(parents, counts)`.
    fn forest() -> impl Strategy<Value = (Vec<Option<usize>>, Vec<u64>)> {
        // Each bottom unit's count and the middle unit it is in (0..4); each middle unit's top
        // unit (0..2).
        (proptest::collection::vec((0u64..=6, 0usize..4), 1..=8), proptest::collection::vec(0usize..2, 4)).prop_map(
            |(bottom, middles)| {
                let tops = 2;
                let mut parents: Vec<Option<usize>> = vec![None; tops];
                let middle_index: Vec<usize> = (0..4)
                    .map(|middle| {
                        parents.push(Some(middles[middle]));
                        tops + middle
                    })
                    .collect();
                let mut counts = vec![0u64; tops + 4];
                for (count, middle) in &bottom {
                    parents.push(Some(middle_index[*middle]));
                    counts.push(*count);
                }
                // Sums, bottom up (a parent's index is below its units').
                for unit in (0..parents.len()).rev() {
                    if let Some(parent) = parents[unit] {
                        counts[parent] += counts[unit];
                    }
                }
                (parents, counts)
            },
        )
    }

    /// The masked units of a forest that take one value in every forest agreeing with the shown
    /// counts: every bottom unit tried at its count and one either side (a second forest, when
    /// there is one, is a move of one along a cycle, as in a table).
    fn tree_solvable_by_trying(parents: &[Option<usize>], counts: &[u64], masked: &[bool]) -> Vec<usize> {
        let units = counts.len();
        let has_below: Vec<bool> = (0..units).map(|unit| parents.contains(&Some(unit))).collect();
        let bottom: Vec<usize> = (0..units).filter(|unit| !has_below[*unit]).collect();
        let mut moved = vec![false; units];
        let mut step = vec![0usize; bottom.len()];
        loop {
            let mut trial = vec![0i64; units];
            let mut fine = true;
            for (index, unit) in bottom.iter().enumerate() {
                let value = i64::try_from(counts[*unit]).unwrap() + i64::try_from(step[index]).unwrap() - 1;
                fine &= value >= 0;
                trial[*unit] = value;
            }
            if fine {
                for unit in (0..units).rev() {
                    if let Some(parent) = parents[unit] {
                        trial[parent] += trial[unit];
                    }
                }
                let agrees = (0..units).all(|unit| masked[unit] || trial[unit] == i64::try_from(counts[unit]).unwrap());
                if agrees {
                    for unit in 0..units {
                        moved[unit] |= trial[unit] != i64::try_from(counts[unit]).unwrap();
                    }
                }
            }
            let Some(position) = step.iter().position(|s| *s < 2) else { break };
            step[position] += 1;
            step[..position].iter_mut().for_each(|s| *s = 0);
        }
        (0..units).filter(|unit| masked[*unit] && !moved[*unit]).collect()
    }

    #[test]
    fn a_towns_total_masked_in_its_countys_table_is_masked_in_its_own() {
        // A county of two towns; town 1 has schools of 3 and 6 dropouts, town 2 schools of 2
        // and 9. Masked table by table, the county's table shows both towns (9 and 11) and
        // each town's table its own total: nothing to mask there but the small schools and a
        // partner each. Side by side, nothing is solvable either way; the tree rule masks the
        // same units whichever table they are read from.
        let parents = [None, Some(0), Some(0), Some(1), Some(1), Some(2), Some(2)];
        let counts = [20, 9, 11, 3, 6, 2, 9];
        let masked = suppress_tree(&parents, &counts);
        assert_eq!(masked, [false, false, false, true, true, true, true]);
        assert_eq!(tree_solvable_by_trying(&parents, &counts, &masked), Vec::<usize>::new());
        // A town of 3: masked in the county's table, with its partner; below it, its school of
        // 3 masked, and the partner town's smallest school with it so the partner can move.
        let counts = [15, 3, 12, 3, 0, 5, 7];
        let masked = suppress_tree(&parents, &counts);
        assert_eq!(masked, [false, true, true, true, false, true, false]);
        assert_eq!(tree_solvable_by_trying(&parents, &counts, &masked), Vec::<usize>::new());
        // Masked table by table, town 2 (12) would be shown in its own link with schools 5 and
        // 7: and then 15 − 12 gives town 1 away. The old per-table rule did just that.
        let town_2_alone = suppress(&[vec![5], vec![7]]);
        assert!(!town_2_alone.is_masked(Entry::Cell(0, 0)) && !town_2_alone.is_masked(Entry::Cell(1, 0)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The cycle audit agrees with trying every table, for any mask of small tables.
        #[test]
        fn the_audit_agrees_with_trying_every_table((cells, masked) in small_table_and_mask()) {
            let mut audit = solvable(&cells, &masked);
            audit.sort();
            let mut tried = solvable_by_trying(&cells, &masked);
            tried.sort();
            prop_assert_eq!(audit, tried);
        }

        /// A column of many rows (a county's towns) is masked by its own rule, with the same
        /// guarantee: every count from 1 to 4 masked, none of the masked solvable.
        #[test]
        fn a_long_column_hides_every_small_count_and_gives_none_away(column in proptest::collection::vec(0u64..=9, 1..=40)) {
            let cells: Vec<Vec<u64>> = column.iter().map(|count| vec![*count]).collect();
            let masked = suppress(&cells);
            for (row, count) in column.iter().enumerate() {
                if (1..SMALLEST_SHOWN).contains(count) {
                    prop_assert!(masked.is_masked(Entry::Cell(row, 0)), "row {} = {} is shown", row, count);
                }
            }
            prop_assert_eq!(solvable(&cells, &masked), Vec::<Entry>::new());
        }

        /// In a forest of sums every count from 1 to 4 is masked, and no masked count can be
        /// worked out from the shown ones, whichever tables they are read from.
        #[test]
        fn no_masked_unit_of_a_hierarchy_can_be_solved((parents, counts) in forest()) {
            let masked = suppress_tree(&parents, &counts);
            for (unit, count) in counts.iter().enumerate() {
                prop_assert!(!small(*count) || masked[unit], "unit {} = {} is shown", unit, count);
            }
            prop_assert_eq!(tree_solvable_by_trying(&parents, &counts, &masked), Vec::<usize>::new());
        }

        /// Whatever is masked first (a count that follows from a masked one, 0 or not), the rule
        /// masks it and leaves nothing masked that can be worked out.
        #[test]
        fn no_unit_masked_first_or_with_it_can_be_solved(
            ((parents, counts), first) in forest().prop_flat_map(|forest| {
                let units = forest.1.len();
                (Just(forest), proptest::collection::vec(any::<bool>(), units))
            })
        ) {
            let mut below: Vec<Vec<usize>> = vec![Vec::new(); counts.len()];
            for (unit, parent) in parents.iter().enumerate() {
                if let Some(parent) = parent {
                    below[*parent].push(unit);
                }
            }
            let families: Vec<&[usize]> = below.iter().map(Vec::as_slice).collect();
            let masked = suppress_families(&families, &counts, first.clone());
            for (unit, first) in first.iter().enumerate() {
                prop_assert!(!first || masked[unit], "unit {} was to be masked", unit);
            }
            prop_assert_eq!(tree_solvable_by_trying(&parents, &counts, &masked), Vec::<usize>::new());
        }

        /// Every count from 1 to 4 is masked, and no masked entry can be worked out from the
        /// shown cells, row totals, column totals and grand total.
        #[test]
        fn no_masked_entry_can_be_solved(cells in table()) {
            let masked = suppress(&cells);
            let graph = Graph::of(&cells);
            for edge in &graph.edges {
                if (1..SMALLEST_SHOWN).contains(&edge.value) {
                    prop_assert!(masked.is_masked(edge.entry), "{:?} = {} is shown", edge.entry, edge.value);
                }
            }
            prop_assert_eq!(solvable(&cells, &masked), Vec::<Entry>::new());
        }
    }
}
