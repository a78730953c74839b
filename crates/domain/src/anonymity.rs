//! 匿名性: which cells of an organisation report may be shown (DOMAIN.md: Anonymity in
//! organisation reports). One function, [`suppress`], decides it for any table of counts
//! and the additive relations between its cells; every report, dashboard, export and API
//! response that shows figures about people goes through it.
//!
//! The rule, for the threshold k (tenant setting, at least 3):
//!
//! 1. **Primary**: a cell covering 1 … k−1 people is never shown.
//! 2. **Complementary**: nothing hidden may be worked out from what is shown. The attacker
//!    knows every shown cell and every relation "total = sum of parts" (a parent unit is
//!    its children plus its own members; a row is its cells; a filter is a slice of the
//!    cube). Whenever a relation has one unknown member, the attacker learns it; we repeat
//!    that to a fixed point. No cell of 1 … k−1 people may be learnt that way, and where a
//!    relation's total is known, the people in its unknown parts together must be none or
//!    at least k (otherwise their aggregate is a group below k).
//!
//! Cells that a report never shows as such (a unit's own members apart from its
//! sub-units, a cross of two filters nobody can ask for) are *hidden*: unknown to the
//! attacker from the start, but still bound by the relations.
//!
//! A violation is mended by suppressing the smallest shown member of the relation that
//! leaks (a part before the total); the loop ends because suppressions only grow.
//! [`Cube`] builds the cells and relations of the usual report: units of an organisation
//! tree × up to two banded dimensions (age band, grade band), so that every view — by
//! unit, by band, unit × band, one filter inside another — reads one consistent decision.

use std::collections::VecDeque;

/// The smallest k a tenant may set.
pub const MIN_K: u32 = 3;
/// The k of a tenant that has not set one.
pub const DEFAULT_K: u32 = 5;

/// One additive relation: `cells[total] = Σ cells[parts]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// Decides which cells to suppress. `counts[i]` is the number of people in cell `i`,
/// `hidden[i]` marks cells never shown as such. Returns, per cell, whether it is
/// suppressed (hidden cells always are).
pub fn suppress(counts: &[u64], hidden: &[bool], lines: &[Line], k: u64) -> Vec<bool> {
    suppress_also(counts, hidden, &vec![false; counts.len()], lines, k)
}

/// [`suppress`], with cells that must stay unknown whatever their count (`sensitive`):
/// e.g. a theme everyone in a group raised, which would tell each of them raised it.
pub fn suppress_also(
    counts: &[u64],
    hidden: &[bool],
    sensitive: &[bool],
    lines: &[Line],
    k: u64,
) -> Vec<bool> {
    let n = counts.len();
    let small = |c: usize| counts[c] > 0 && (counts[c] < k || sensitive[c]);
    let mut lines_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (li, l) in lines.iter().enumerate() {
        lines_of[l.total].push(li);
        for &p in &l.parts {
            lines_of[p].push(li);
        }
    }
    let mut s = Solver {
        counts,
        lines,
        lines_of,
        suppressed: (0..n).map(|i| hidden[i] || small(i)).collect(),
        by: Vec::new(),
        touched: Vec::new(),
    };
    loop {
        s.attack();
        // Small cells worked out from a relation, and known totals whose unknown parts are
        // a group below k. Each is mended by one more suppression; a relation that shares
        // a cell with one mended in this round waits for the next look, so that one
        // round's mends do not pile up on stale knowledge.
        let mut leaks: Vec<(usize, Option<usize>)> = (0..n)
            .filter_map(|c| match s.by[c] {
                Some(li) if small(c) && s.suppressed[c] => Some((li, Some(c))),
                _ => None,
            })
            .collect();
        leaks.extend(lines.iter().enumerate().filter_map(|(li, l)| {
            if !s.known(l.total) {
                return None;
            }
            let group: u64 = l
                .parts
                .iter()
                .filter(|&&p| !s.known(p))
                .map(|&p| counts[p])
                .sum();
            (group > 0 && group < k).then_some((li, None))
        }));
        let mut mended = false;
        s.touched = vec![false; n];
        for (li, except) in leaks {
            mended |= s.mend(li, except);
        }
        if !mended {
            return s.suppressed;
        }
    }
}

struct Solver<'a> {
    counts: &'a [u64],
    lines: &'a [Line],
    lines_of: Vec<Vec<usize>>,
    suppressed: Vec<bool>,
    /// For each suppressed cell the attacker works out, the relation it came from.
    by: Vec<Option<usize>>,
    /// Cells suppressed in this round.
    touched: Vec<bool>,
}

impl Solver<'_> {
    fn known(&self, c: usize) -> bool {
        !self.suppressed[c] || self.counts[c] == 0 || self.by[c].is_some()
    }

    fn members(&self, li: usize) -> impl Iterator<Item = usize> + Clone + '_ {
        let l = &self.lines[li];
        l.parts.iter().copied().chain([l.total])
    }

    /// Runs the attacker to a fixed point: any relation with one unknown member reveals
    /// it. Empty cells are known whatever is shown (a total of none has empty parts), so
    /// the attacker holds them all from the start.
    fn attack(&mut self) {
        let n = self.counts.len();
        let mut known: Vec<bool> = (0..n)
            .map(|i| !self.suppressed[i] || self.counts[i] == 0)
            .collect();
        let mut unknown: Vec<usize> = (0..self.lines.len())
            .map(|li| self.members(li).filter(|&c| !known[c]).count())
            .collect();
        self.by = vec![None; n];
        let mut queue: VecDeque<usize> =
            (0..self.lines.len()).filter(|&l| unknown[l] == 1).collect();
        while let Some(li) = queue.pop_front() {
            if unknown[li] != 1 {
                continue;
            }
            let Some(c) = self.members(li).find(|&c| !known[c]) else {
                continue;
            };
            known[c] = true;
            self.by[c] = Some(li);
            for &other in &self.lines_of[c] {
                unknown[other] -= 1;
                if unknown[other] == 1 {
                    queue.push_back(other);
                }
            }
        }
    }

    /// Whether hiding `m` would leave it unknown: no relation of it has every other
    /// member known.
    fn would_stay_hidden(&self, m: usize) -> bool {
        self.lines_of[m]
            .iter()
            .all(|&li| self.members(li).filter(|&x| x != m).any(|x| !self.known(x)))
    }

    /// Stops relation `li` leaking (cell `except` worked out from it, or a group below k
    /// in its unknown parts), in this order of preference:
    ///
    /// 1. suppress a shown member that would then stay hidden (a part before the total —
    ///    totals are the figures people read first — the smallest first);
    /// 2. else, when a member is suppressed but worked out elsewhere, mend the relation
    ///    that revealed it (the member then becomes truly unknown);
    /// 3. else suppress the smallest shown member (a part before the total).
    fn mend(&mut self, li: usize, except: Option<usize>) -> bool {
        // What the attacker knows about this relation changed in this round: look again.
        if self.members(li).any(|m| self.touched[m]) {
            return true;
        }
        let total = self.lines[li].total;
        let shown: Vec<usize> = self
            .members(li)
            .filter(|&m| Some(m) != except && !self.suppressed[m] && self.counts[m] > 0)
            .collect();
        let rank = |m: usize| (m == total, self.counts[m]);
        if let Some(m) = shown
            .iter()
            .copied()
            .filter(|&m| self.would_stay_hidden(m))
            .min_by_key(|&m| rank(m))
        {
            return self.hide(m);
        }
        let worked_out = self
            .members(li)
            .filter(|&m| Some(m) != except)
            .find_map(|m| self.by[m].map(|from| (m, from)));
        if let Some((m, from)) = worked_out
            && from != li
            && self.mend(from, Some(m))
        {
            return true;
        }
        match shown.iter().copied().min_by_key(|&m| rank(m)) {
            Some(m) => self.hide(m),
            None => false,
        }
    }

    fn hide(&mut self, m: usize) -> bool {
        self.suppressed[m] = true;
        self.touched[m] = true;
        true
    }
}

/// The cells of a report over an organisation tree and up to two banded dimensions.
///
/// A cell is (unit, a, b) where `a` is one of `a_bands` bands or *all*, likewise `b`;
/// a unit's cell counts its whole subtree. Each unit also has its *own* cells (members
/// directly in it), hidden. Cells where both `a` and `b` are a band (not *all*) are
/// hidden too: no view crosses two bands.
#[derive(Debug, Clone)]
pub struct Cube {
    pub units: usize,
    pub a_bands: usize,
    pub b_bands: usize,
    parent: Vec<Option<usize>>,
    counts: Vec<u64>,
    suppressed: Vec<bool>,
}

impl Cube {
    /// `parent[u]` is the parent unit of `u` (None for a root); `members` lists each
    /// person's (unit, a band, b band).
    pub fn new(
        parent: Vec<Option<usize>>,
        a_bands: usize,
        b_bands: usize,
        members: impl IntoIterator<Item = (usize, usize, usize)>,
    ) -> Cube {
        let units = parent.len();
        let mut cube = Cube {
            units,
            a_bands,
            b_bands,
            counts: vec![0; units * (a_bands + 1) * (b_bands + 1) * 2],
            suppressed: Vec::new(),
            parent,
        };
        for (u, a, b) in members {
            for (aa, bb) in [(a, b), (a_bands, b), (a, b_bands), (a_bands, b_bands)] {
                let own = cube.own(u, aa, bb);
                cube.counts[own] += 1;
                let mut at = Some(u);
                while let Some(x) = at {
                    let i = cube.index(x, aa, bb);
                    cube.counts[i] += 1;
                    at = cube.parent[x];
                }
            }
        }
        cube
    }

    fn index(&self, u: usize, a: usize, b: usize) -> usize {
        ((u * (self.a_bands + 1) + a) * (self.b_bands + 1) + b) * 2
    }

    fn own(&self, u: usize, a: usize, b: usize) -> usize {
        self.index(u, a, b) + 1
    }

    /// Applies [`suppress`] with threshold `k`.
    pub fn decide(&mut self, k: u64) {
        self.decide_also(k, |_, _, _| false);
    }

    /// Applies [`suppress_also`]: cells for which `sensitive(unit, a, b)` holds must stay
    /// unknown whatever their count.
    pub fn decide_also(
        &mut self,
        k: u64,
        sensitive: impl Fn(usize, Option<usize>, Option<usize>) -> bool,
    ) {
        let (na, nb) = (self.a_bands, self.b_bands);
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.units];
        for (u, p) in self.parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(u);
            }
        }
        let mut hidden = vec![false; self.counts.len()];
        let mut lines = Vec::new();
        // A relation whose total is nobody (so every part is nobody too) tells the
        // attacker nothing and never leaks: empty cells are known from the start. Most
        // of a sparse cube (a theme a few raised, units × ages × grades) is such
        // relations; they are left out.
        let empty = |c: usize| self.counts[c] == 0;
        for (u, kids) in children.iter().enumerate() {
            for a in 0..=na {
                for b in 0..=nb {
                    let (cell, own) = (self.index(u, a, b), self.own(u, a, b));
                    hidden[own] = true;
                    if a < na && b < nb {
                        hidden[cell] = true;
                    }
                    if empty(cell) {
                        continue;
                    }
                    // The unit is its children and its own members.
                    lines.push(Line {
                        total: cell,
                        parts: kids
                            .iter()
                            .map(|&c| self.index(c, a, b))
                            .chain([own])
                            .collect(),
                    });
                }
            }
            // Each slice of one dimension sums to its *all*, for the unit and its own.
            for cellf in [Cube::index, Cube::own] {
                for b in 0..=nb {
                    let total = cellf(self, u, na, b);
                    if !empty(total) {
                        lines.push(Line {
                            total,
                            parts: (0..na).map(|a| cellf(self, u, a, b)).collect(),
                        });
                    }
                }
                for a in 0..=na {
                    let total = cellf(self, u, a, nb);
                    if !empty(total) {
                        lines.push(Line {
                            total,
                            parts: (0..nb).map(|b| cellf(self, u, a, b)).collect(),
                        });
                    }
                }
            }
        }
        lines.retain(|l| !l.parts.is_empty());
        let mut must = vec![false; self.counts.len()];
        for u in 0..self.units {
            for a in 0..=na {
                for b in 0..=nb {
                    let (aa, bb) = ((a < na).then_some(a), (b < nb).then_some(b));
                    if sensitive(u, aa, bb) {
                        must[self.index(u, a, b)] = true;
                    }
                }
            }
        }
        self.suppressed = suppress_also(&self.counts, &hidden, &must, &lines, k);
    }

    /// People in the cell; `a`/`b` None is *all*.
    pub fn count(&self, u: usize, a: Option<usize>, b: Option<usize>) -> u64 {
        self.counts[self.index(u, a.unwrap_or(self.a_bands), b.unwrap_or(self.b_bands))]
    }

    /// Whether the cell may be shown (after [`Cube::decide`]).
    pub fn shown(&self, u: usize, a: Option<usize>, b: Option<usize>) -> bool {
        let i = self.index(u, a.unwrap_or(self.a_bands), b.unwrap_or(self.b_bands));
        !self.suppressed.get(i).copied().unwrap_or(true)
    }

    /// Every cell index with its count and whether it is shown, for checks.
    #[doc(hidden)]
    pub fn parts(&self) -> (&[u64], &[bool]) {
        (&self.counts, &self.suppressed)
    }
}

/// The units of an organisation tree with one figure each (a dashboard row per unit):
/// which units' totals may be shown. `parent[u]` is the parent of unit `u` (None for a
/// root), `own[u]` the people counted in `u` itself apart from its sub-units (never shown
/// as such). Returns each unit's total (own plus every sub-unit's) and whether it is shown.
pub fn units_shown(parent: &[Option<usize>], own: &[u64], k: u64) -> (Vec<u64>, Vec<bool>) {
    let (totals, lines) = unit_lines(parent, own);
    let n = parent.len();
    let mut counts = totals.clone();
    counts.extend_from_slice(own);
    let hidden: Vec<bool> = (0..2 * n).map(|i| i >= n).collect();
    let suppressed = suppress(&counts, &hidden, &lines, k);
    (totals, suppressed[..n].iter().map(|s| !s).collect())
}

/// Each unit's total, and the relations "a unit = its children + its own members" over
/// cells `0..n` (totals) and `n..2n` (own members).
fn unit_lines(parent: &[Option<usize>], own: &[u64]) -> (Vec<u64>, Vec<Line>) {
    let n = parent.len();
    let mut totals = own.to_vec();
    totals.resize(n, 0);
    for u in 0..n {
        let mut at = parent[u];
        let mut steps = 0;
        while let Some(p) = at {
            totals[p] += own.get(u).copied().unwrap_or(0);
            at = parent[p];
            steps += 1;
            if steps > n {
                break; // a cycle: no unit is its own ancestor
            }
        }
    }
    let mut lines: Vec<Line> = (0..n)
        .map(|u| Line {
            total: u,
            parts: vec![n + u],
        })
        .collect();
    for (u, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            lines[*p].parts.push(u);
        }
    }
    (totals, lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The attacker, written again independently: relations with one unknown reveal it.
    fn learnt(known0: &[bool], lines: &[Line]) -> Vec<bool> {
        let mut known = known0.to_vec();
        loop {
            let mut changed = false;
            for l in lines {
                let members: Vec<usize> = l.parts.iter().copied().chain([l.total]).collect();
                let unknown: Vec<usize> = members.iter().copied().filter(|&m| !known[m]).collect();
                if unknown.len() == 1 {
                    known[unknown[0]] = true;
                    changed = true;
                }
            }
            if !changed {
                return known;
            }
        }
    }

    fn check(counts: &[u64], suppressed: &[bool], lines: &[Line], k: u64) -> Result<(), String> {
        let shown: Vec<bool> = suppressed.iter().map(|s| !s).collect();
        for (i, &c) in counts.iter().enumerate() {
            if shown[i] && c > 0 && c < k {
                return Err(format!("cell {i} of {c} shown"));
            }
        }
        // The attacker also knows every empty cell.
        let known0: Vec<bool> = (0..counts.len())
            .map(|i| shown[i] || counts[i] == 0)
            .collect();
        let known = learnt(&known0, lines);
        for (i, &c) in counts.iter().enumerate() {
            if known[i] && c > 0 && c < k {
                return Err(format!("cell {i} of {c} worked out"));
            }
        }
        for l in lines {
            if known[l.total] {
                let group: u64 = l
                    .parts
                    .iter()
                    .filter(|&&p| !known[p])
                    .map(|&p| counts[p])
                    .sum();
                if group > 0 && group < k {
                    return Err(format!("group of {group} in {l:?}"));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn a_row_with_one_small_cell_loses_a_second() {
        // total 20 = 12 + 6 + 2: the 2 is primary, the 6 goes with it.
        let counts = [20, 12, 6, 2];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2, 3],
        }];
        let s = suppress(&counts, &[false; 4], &lines, 5);
        assert_eq!(s, vec![false, false, true, true]);
    }

    #[test]
    fn two_small_cells_together_below_k_take_a_third() {
        // 1 + 2 = 3 < 5 is a group below k: another part goes too.
        let counts = [30, 20, 7, 1, 2];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2, 3, 4],
        }];
        let s = suppress(&counts, &[false; 5], &lines, 5);
        assert_eq!(s, vec![false, false, true, true, true]);
        check(&counts, &s, &lines, 5).expect("safe");
    }

    #[test]
    fn a_unit_whose_own_members_are_few_hides_a_child() {
        // Unit 0 (13) = child 1 (6) + child 2 (5) + own members (2, hidden).
        let counts = [13, 6, 5, 2];
        let hidden = [false, false, false, true];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2, 3],
        }];
        let s = suppress(&counts, &hidden, &lines, 5);
        assert_eq!(s, vec![false, false, true, true]);
    }

    #[test]
    fn a_lone_small_total_with_no_shown_part_is_hidden() {
        let counts = [7, 0, 3];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2],
        }];
        let s = suppress(&counts, &[false; 3], &lines, 5);
        assert!(s[0] && s[2]);
        check(&counts, &s, &lines, 5).expect("safe");
    }

    #[test]
    fn empty_cells_stay_shown() {
        let counts = [10, 10, 0];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2],
        }];
        assert_eq!(suppress(&counts, &[false; 3], &lines, 5), vec![false; 3]);
    }

    #[test]
    fn a_cube_keeps_the_total_and_hides_a_small_unit_with_a_complement() {
        // Root 0 with children 1 (8 people), 2 (2 people), 3 (6 people), no own members.
        let mut members = Vec::new();
        members.extend(std::iter::repeat_n((1, 0, 0), 8));
        members.extend(std::iter::repeat_n((2, 1, 0), 2));
        members.extend(std::iter::repeat_n((3, 1, 1), 6));
        let mut cube = Cube::new(vec![None, Some(0), Some(0), Some(0)], 2, 2, members);
        cube.decide(5);
        assert!(cube.shown(0, None, None), "the company's total stays");
        assert!(!cube.shown(2, None, None));
        assert!(
            !(cube.shown(1, None, None) && cube.shown(3, None, None)),
            "else unit 2 = root − 1 − 3"
        );
        assert_eq!(cube.count(0, None, None), 16);
        let lines = cube_lines(&cube);
        let (counts, suppressed) = cube.parts();
        check(counts, suppressed, &lines, 5).expect("safe");
    }

    /// Parents, members (unit, a, b) and k.
    type Organisation = (Vec<Option<usize>>, Vec<(usize, usize, usize)>, u64);

    fn organisation() -> impl Strategy<Value = Organisation> {
        (2usize..14).prop_flat_map(|units| {
            let parents = proptest::collection::vec(any::<prop::sample::Index>(), units - 1);
            let members = proptest::collection::vec((0..units, 0usize..3, 0usize..2), 0..80);
            (parents, members, 3u64..7).prop_map(move |(ps, members, k)| {
                let mut parent = vec![None];
                for (i, p) in ps.into_iter().enumerate() {
                    parent.push(Some(p.index(i + 1)));
                }
                (parent, members, k)
            })
        })
    }

    /// Every relation the cube holds, rebuilt from its definition for the check.
    fn cube_lines(cube: &Cube) -> Vec<Line> {
        let (na, nb) = (cube.a_bands, cube.b_bands);
        let mut lines = Vec::new();
        for u in 0..cube.units {
            let children: Vec<usize> = (0..cube.units)
                .filter(|&c| cube.parent[c] == Some(u))
                .collect();
            for a in 0..=na {
                for b in 0..=nb {
                    lines.push(Line {
                        total: cube.index(u, a, b),
                        parts: children
                            .iter()
                            .map(|&c| cube.index(c, a, b))
                            .chain([cube.own(u, a, b)])
                            .collect(),
                    });
                }
            }
            for f in [Cube::index, Cube::own] {
                for b in 0..=nb {
                    lines.push(Line {
                        total: f(cube, u, na, b),
                        parts: (0..na).map(|a| f(cube, u, a, b)).collect(),
                    });
                }
                for a in 0..=na {
                    lines.push(Line {
                        total: f(cube, u, a, nb),
                        parts: (0..nb).map(|b| f(cube, u, a, b)).collect(),
                    });
                }
            }
        }
        lines
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Random organisations and respondents: no shown cell below k, and nothing below k
        /// can be worked out by subtracting shown cells along units, bands or two filters.
        #[test]
        fn nothing_below_k_is_shown_or_recoverable((parent, members, k) in organisation()) {
            let mut cube = Cube::new(parent, 3, 2, members);
            cube.decide(k);
            let lines = cube_lines(&cube);
            let (counts, suppressed) = cube.parts();
            prop_assert_eq!(check(counts, suppressed, &lines, k), Ok(()));
        }

        /// Leaving out the relations of nobody changes no decision: the cube decides
        /// exactly what the rule decides over every relation of its definition.
        #[test]
        fn relations_of_nobody_change_nothing((parent, members, k) in organisation()) {
            let mut cube = Cube::new(parent, 3, 2, members);
            cube.decide(k);
            let lines = cube_lines(&cube);
            let (counts, suppressed) = cube.parts();
            let mut hidden = vec![false; counts.len()];
            for u in 0..cube.units {
                for a in 0..=cube.a_bands {
                    for b in 0..=cube.b_bands {
                        hidden[cube.own(u, a, b)] = true;
                        hidden[cube.index(u, a, b)] = a < cube.a_bands && b < cube.b_bands;
                    }
                }
            }
            prop_assert_eq!(suppress(counts, &hidden, &lines, k), suppressed.to_vec());
        }

        /// Cells marked sensitive (here: every cell of an odd count) stay unknown too.
        #[test]
        fn sensitive_cells_are_neither_shown_nor_recoverable((parent, members, k) in organisation()) {
            let mut cube = Cube::new(parent, 3, 2, members);
            let odd: Vec<bool> = cube.counts.iter().map(|c| c % 2 == 1).collect();
            let at = |c: &Cube, u: usize, a: Option<usize>, b: Option<usize>| {
                c.index(u, a.unwrap_or(c.a_bands), b.unwrap_or(c.b_bands))
            };
            let probe = cube.clone();
            cube.decide_also(k, |u, a, b| odd[at(&probe, u, a, b)]);
            let lines = cube_lines(&cube);
            let (counts, suppressed) = cube.parts();
            let shown: Vec<bool> = suppressed.iter().map(|s| !s).collect();
            let known0: Vec<bool> = (0..counts.len()).map(|i| shown[i] || counts[i] == 0).collect();
            let known = learnt(&known0, &lines);
            for u in 0..cube.units {
                for a in 0..=cube.a_bands {
                    for b in 0..=cube.b_bands {
                        let i = cube.index(u, a, b);
                        let sensitive = odd[i] && (a == cube.a_bands || b == cube.b_bands);
                        prop_assert!(!(sensitive && known[i]), "sensitive cell {} worked out", i);
                    }
                }
            }
            prop_assert_eq!(check(counts, suppressed, &lines, k), Ok(()));
        }

        /// Flat tables with random relations between random cells.
        #[test]
        fn any_row_table_is_safe(rows in proptest::collection::vec(
            proptest::collection::vec(0u64..12, 1..6), 1..6), k in 3u64..7) {
            // Cells: each row's parts then its total; a grand total over row totals.
            let mut counts = Vec::new();
            let mut lines = Vec::new();
            let mut totals = Vec::new();
            for row in &rows {
                let parts: Vec<usize> = row.iter().map(|&c| { counts.push(c); counts.len() - 1 }).collect();
                counts.push(row.iter().sum());
                totals.push(counts.len() - 1);
                lines.push(Line { total: counts.len() - 1, parts });
            }
            counts.push(totals.iter().map(|&t| counts[t]).sum());
            lines.push(Line { total: counts.len() - 1, parts: totals });
            let hidden = vec![false; counts.len()];
            let s = suppress(&counts, &hidden, &lines, k);
            prop_assert_eq!(check(&counts, &s, &lines, k), Ok(()));
        }
    }

    #[test]
    fn units_show_their_totals_unless_a_complement_gives_a_small_group_away() {
        // Company 0 = A (7) + B (6) + own 2: showing A and B tells the 2 → one goes.
        let parent = [None, Some(0), Some(0)];
        let (totals, shown) = units_shown(&parent, &[2, 7, 6], 5);
        assert_eq!(totals, vec![15, 7, 6]);
        assert!(shown[0]);
        assert!(!(shown[1] && shown[2]));
        // No own members at the top: both show.
        let (_, shown) = units_shown(&parent, &[0, 7, 6], 5);
        assert_eq!(shown, vec![true, true, true]);
        // A unit below k never shows.
        let (_, shown) = units_shown(&parent, &[0, 7, 3], 5);
        assert!(!shown[2]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn no_unit_below_k_is_shown_or_worked_out((parent, members, k) in organisation()) {
            let mut own = vec![0u64; parent.len()];
            for (u, _, _) in &members {
                own[*u] += 1;
            }
            let (totals, shown) = units_shown(&parent, &own, k);
            let (_, lines) = unit_lines(&parent, &own);
            let mut counts = totals.clone();
            counts.extend_from_slice(&own);
            let mut suppressed: Vec<bool> = shown.iter().map(|s| !s).collect();
            suppressed.extend(std::iter::repeat_n(true, own.len()));
            prop_assert_eq!(check(&counts, &suppressed, &lines, k), Ok(()));
        }
    }
}
