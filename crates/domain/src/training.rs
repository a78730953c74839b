//! 研修: placing a cohort into training sessions with instructors who fit, and forming
//! workshop groups by Career Anchor (DOMAIN.md: Instructor fit and workshop groups).
//!
//! - [`assign`] is an exact minimum-cost assignment: it places as many participants as
//!   the sessions hold and, among those placements, mismatches as few participants with
//!   their instructor's style as possible. Participants of one segment cost the same in
//!   every session, so the problem is solved as a min-cost flow over segments and sessions
//!   (a graph of a few hundred nodes however large the cohort) and then handed out person
//!   by person; hand-made placements (overrides) are kept and counted first.
//! - [`group`] puts the people of one session into workshop groups of `min..=max` people
//!   with the same dominant anchor; an anchor with too few (or an unsplittable number of)
//!   people joins the nearest anchor by mean score profile, repeatedly, so everyone is in
//!   exactly one group whenever the session's size allows one at all.

use crate::anchor::Anchor;
use serde::Serialize;

/// An instructor's style, and the segment of participants it fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// 動: lively, for high performers and active people.
    Energetic,
    /// 静: quiet, for quieter people and those finding their footing.
    Calm,
}

impl Style {
    pub fn key(self) -> &'static str {
        match self {
            Style::Energetic => "energetic",
            Style::Calm => "calm",
        }
    }

    pub fn parse(key: &str) -> Option<Style> {
        [Style::Energetic, Style::Calm]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// The default segmentation rule: rated above the average, or self-reported as active →
/// energetic; otherwise calm.
pub fn default_segment(rating_above_average: bool, self_reported_active: bool) -> Style {
    if rating_above_average || self_reported_active {
        Style::Energetic
    } else {
        Style::Calm
    }
}

/// A session to fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: i64,
    pub style: Style,
    pub capacity: usize,
}

/// The result of [`assign`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// For each participant (in the order given), the session id, or none when unplaced.
    pub placed: Vec<Option<i64>>,
    /// Participants (indexes) placed with an instructor whose style is not their segment.
    pub mismatched: Vec<usize>,
    /// How many could not be placed at all (the sessions are full).
    pub unplaced: usize,
    /// Why mismatches were unavoidable, per segment: (segment, its participants, the
    /// seats left for it in sessions of its style).
    pub shortfalls: Vec<(Style, usize, usize)>,
}

/// Places `segments[i]` (each participant's segment) into `sessions`, keeping `pinned`
/// placements (participant index, session id) made by hand. Pinned placements take their
/// seats first, even when they mismatch; the rest is an exact minimum-cost assignment.
pub fn assign(segments: &[Style], sessions: &[Session], pinned: &[(usize, i64)]) -> Assignment {
    let mut placed: Vec<Option<i64>> = vec![None; segments.len()];
    let mut free: Vec<usize> = sessions.iter().map(|s| s.capacity).collect();
    for (p, sid) in pinned {
        if let (Some(slot), Some(j)) = (
            placed.get_mut(*p),
            sessions.iter().position(|s| s.id == *sid),
        ) && slot.is_none()
            && free[j] > 0
        {
            *slot = Some(*sid);
            free[j] -= 1;
        }
    }
    // Who is still to place, by segment.
    let styles = [Style::Energetic, Style::Calm];
    let waiting: Vec<Vec<usize>> = styles
        .iter()
        .map(|st| {
            (0..segments.len())
                .filter(|i| placed[*i].is_none() && segments[*i] == *st)
                .collect()
        })
        .collect();
    // Min-cost max-flow: source → segment (its count) → session (cost 0 if the style fits,
    // else 1) → sink (free seats).
    let n_seg = styles.len();
    let source = 0;
    let sink = 1 + n_seg + sessions.len();
    let mut g = Flow::new(sink + 1);
    for (k, w) in waiting.iter().enumerate() {
        g.edge(source, 1 + k, w.len() as i64, 0);
    }
    let mut seg_edges = vec![vec![0usize; sessions.len()]; n_seg];
    for (k, st) in styles.iter().enumerate() {
        for (j, s) in sessions.iter().enumerate() {
            let cost = i64::from(s.style != *st);
            seg_edges[k][j] = g.edge(1 + k, 1 + n_seg + j, i64::MAX / 4, cost);
        }
    }
    for (j, f) in free.iter().enumerate() {
        g.edge(1 + n_seg + j, sink, *f as i64, 0);
    }
    g.run(source, sink);
    // Hand the flow out person by person, in the order given (stable, deterministic).
    for (k, w) in waiting.iter().enumerate() {
        let mut people = w.iter();
        for (j, s) in sessions.iter().enumerate() {
            let n = g.flow_on(seg_edges[k][j]);
            for _ in 0..n {
                if let Some(p) = people.next() {
                    placed[*p] = Some(s.id);
                }
            }
        }
    }
    let style_of = |sid: i64| sessions.iter().find(|s| s.id == sid).map(|s| s.style);
    let mismatched = (0..segments.len())
        .filter(|i| {
            placed[*i]
                .and_then(style_of)
                .is_some_and(|st| st != segments[*i])
        })
        .collect();
    let unplaced = placed.iter().filter(|p| p.is_none()).count();
    let shortfalls = styles
        .iter()
        .filter_map(|st| {
            let people = segments.iter().filter(|s| *s == st).count();
            let seats: usize = sessions
                .iter()
                .filter(|s| s.style == *st)
                .map(|s| s.capacity)
                .sum();
            (people > seats).then_some((*st, people, seats))
        })
        .collect();
    Assignment {
        placed,
        mismatched,
        unplaced,
        shortfalls,
    }
}

/// A small min-cost max-flow (successive shortest paths with Bellman-Ford; the graphs
/// here have a few hundred nodes).
struct Flow {
    // (to, capacity, cost, flow) per edge; edge i^1 is the reverse of edge i.
    edges: Vec<(usize, i64, i64, i64)>,
    adj: Vec<Vec<usize>>,
}

impl Flow {
    fn new(n: usize) -> Flow {
        Flow {
            edges: Vec::new(),
            adj: vec![Vec::new(); n],
        }
    }

    fn edge(&mut self, from: usize, to: usize, cap: i64, cost: i64) -> usize {
        let id = self.edges.len();
        self.edges.push((to, cap, cost, 0));
        self.adj[from].push(id);
        self.edges.push((from, 0, -cost, 0));
        self.adj[to].push(id + 1);
        id
    }

    fn flow_on(&self, edge: usize) -> i64 {
        self.edges[edge].3
    }

    fn run(&mut self, s: usize, t: usize) {
        let n = self.adj.len();
        loop {
            let mut dist = vec![i64::MAX; n];
            let mut via = vec![usize::MAX; n];
            dist[s] = 0;
            // Bellman-Ford: residual costs may be negative.
            for _ in 0..n {
                let mut changed = false;
                for u in 0..n {
                    if dist[u] == i64::MAX {
                        continue;
                    }
                    for &e in &self.adj[u] {
                        let (v, cap, cost, flow) = self.edges[e];
                        if cap - flow > 0 && dist[u] + cost < dist[v] {
                            dist[v] = dist[u] + cost;
                            via[v] = e;
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            if dist[t] == i64::MAX {
                return;
            }
            // The bottleneck along the path.
            let mut push = i64::MAX;
            let mut v = t;
            while v != s {
                let e = via[v];
                push = push.min(self.edges[e].1 - self.edges[e].3);
                v = self.edges[e ^ 1].0;
            }
            let mut v = t;
            while v != s {
                let e = via[v];
                self.edges[e].3 += push;
                self.edges[e ^ 1].3 -= push;
                v = self.edges[e ^ 1].0;
            }
        }
    }
}

/// A participant of a session, as grouping sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// Their anchor scores in [`Anchor::ALL`] order.
    pub scores: [f64; 8],
}

impl Member {
    /// The dominant anchor (the first of tied ones, in [`Anchor::ALL`] order).
    pub fn dominant(&self) -> Anchor {
        let mut best = 0;
        for i in 1..8 {
            if self.scores[i] > self.scores[best] {
                best = i;
            }
        }
        Anchor::ALL[best]
    }
}

/// A workshop group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Member indexes.
    pub members: Vec<usize>,
    /// The anchors of its members, most common first.
    pub anchors: Vec<Anchor>,
    /// Share of members whose dominant anchor is the group's most common one (0–1).
    pub homogeneity: f64,
}

/// Why no grouping exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NoGrouping {
    pub people: usize,
    pub min: usize,
    pub max: usize,
}

/// Can `n` people be split into groups of `min..=max`?
pub fn splittable(n: usize, min: usize, max: usize) -> bool {
    n > 0 && min <= max && min > 0 && (1..=n / min).any(|k| k * max >= n)
}

/// Groups `members` into groups of `min..=max` people, by dominant anchor.
pub fn group(members: &[Member], min: usize, max: usize) -> Result<Vec<Group>, NoGrouping> {
    let n = members.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    if !splittable(n, min, max) {
        return Err(NoGrouping {
            people: n,
            min,
            max,
        });
    }
    // Buckets by dominant anchor.
    let mut buckets: Vec<Vec<usize>> = Anchor::ALL
        .iter()
        .map(|a| (0..n).filter(|i| members[*i].dominant() == *a).collect())
        .filter(|b: &Vec<usize>| !b.is_empty())
        .collect();
    let centroid = |b: &[usize]| {
        let mut c = [0.0; 8];
        for i in b {
            for (k, v) in members[*i].scores.iter().enumerate() {
                c[k] += v / b.len() as f64;
            }
        }
        c
    };
    let distance = |a: &[f64; 8], b: &[f64; 8]| -> f64 {
        a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
    };
    // Merge the smallest bucket that cannot be split into its nearest neighbour, until all
    // can (one bucket of everyone always can, as checked above).
    while let Some(small) = (0..buckets.len())
        .filter(|i| !splittable(buckets[*i].len(), min, max))
        .min_by_key(|i| (buckets[*i].len(), *i))
    {
        let c = centroid(&buckets[small]);
        let Some(near) = (0..buckets.len()).filter(|j| *j != small).min_by(|a, b| {
            distance(&c, &centroid(&buckets[*a]))
                .total_cmp(&distance(&c, &centroid(&buckets[*b])))
                .then(a.cmp(b))
        }) else {
            break;
        };
        let moved = std::mem::take(&mut buckets[small]);
        buckets[near].extend(moved);
        buckets.remove(small);
    }
    let mut groups = Vec::new();
    for mut b in buckets {
        // Like with like inside a merged bucket: by dominant anchor, then by that score.
        b.sort_by(|x, y| {
            let (dx, dy) = (members[*x].dominant(), members[*y].dominant());
            dx.cmp(&dy)
                .then(members[*y].scores[dy as usize].total_cmp(&members[*x].scores[dx as usize]))
        });
        let k = b.len().div_ceil(max);
        let (base, extra) = (b.len() / k, b.len() % k);
        let mut start = 0;
        for g in 0..k {
            let size = base + usize::from(g < extra);
            let part: Vec<usize> = b[start..start + size].to_vec();
            start += size;
            groups.push(describe(members, part));
        }
    }
    Ok(groups)
}

fn describe(members: &[Member], part: Vec<usize>) -> Group {
    let mut counts: Vec<(Anchor, usize)> = Vec::new();
    for i in &part {
        let a = members[*i].dominant();
        match counts.iter_mut().find(|(x, _)| *x == a) {
            Some(c) => c.1 += 1,
            None => counts.push((a, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = counts.first().map(|c| c.1).unwrap_or(0);
    Group {
        homogeneity: if part.is_empty() {
            0.0
        } else {
            top as f64 / part.len() as f64
        },
        anchors: counts.into_iter().map(|(a, _)| a).collect(),
        members: part,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every way to place people (or leave them out) within capacities: the least
    /// (unplaced, mismatches).
    fn brute_force(segments: &[Style], sessions: &[Session]) -> (usize, usize) {
        fn go(
            i: usize,
            segments: &[Style],
            sessions: &[Session],
            free: &mut Vec<usize>,
            unplaced: usize,
            mismatches: usize,
            best: &mut (usize, usize),
        ) {
            if i == segments.len() {
                *best = (*best).min((unplaced, mismatches));
                return;
            }
            go(
                i + 1,
                segments,
                sessions,
                free,
                unplaced + 1,
                mismatches,
                best,
            );
            for j in 0..sessions.len() {
                if free[j] > 0 {
                    free[j] -= 1;
                    let m = usize::from(sessions[j].style != segments[i]);
                    go(
                        i + 1,
                        segments,
                        sessions,
                        free,
                        unplaced,
                        mismatches + m,
                        best,
                    );
                    free[j] += 1;
                }
            }
        }
        let mut best = (usize::MAX, usize::MAX);
        let mut free = sessions.iter().map(|s| s.capacity).collect();
        go(0, segments, sessions, &mut free, 0, 0, &mut best);
        best
    }

    fn style(b: bool) -> Style {
        if b { Style::Energetic } else { Style::Calm }
    }

    proptest! {
        #[test]
        fn the_assignment_is_as_good_as_brute_force_on_small_cases(
            people in prop::collection::vec(any::<bool>(), 0..7),
            rooms in prop::collection::vec((any::<bool>(), 0usize..4), 1..4),
        ) {
            let segments: Vec<Style> = people.into_iter().map(style).collect();
            let sessions: Vec<Session> = rooms
                .into_iter()
                .enumerate()
                .map(|(i, (s, c))| Session { id: i as i64 + 10, style: style(s), capacity: c })
                .collect();
            let a = assign(&segments, &sessions, &[]);
            prop_assert_eq!((a.unplaced, a.mismatched.len()), brute_force(&segments, &sessions));
            for s in &sessions {
                prop_assert!(a.placed.iter().filter(|p| **p == Some(s.id)).count() <= s.capacity);
            }
        }

        #[test]
        fn everyone_is_in_exactly_one_group_of_allowed_size_whenever_one_exists(
            profiles in prop::collection::vec(prop::array::uniform8(0u8..9), 0..40),
            min in 3usize..5,
            extra in 0usize..3,
        ) {
            let max = min + extra;
            let members: Vec<Member> = profiles
                .iter()
                .map(|p| Member { scores: p.map(f64::from) })
                .collect();
            match group(&members, min, max) {
                Ok(groups) => {
                    let mut seen: Vec<usize> = groups.iter().flat_map(|g| g.members.clone()).collect();
                    seen.sort_unstable();
                    prop_assert_eq!(seen, (0..members.len()).collect::<Vec<_>>());
                    for g in &groups {
                        prop_assert!((min..=max).contains(&g.members.len()), "{:?}", g);
                    }
                }
                Err(e) => prop_assert!(!splittable(members.len(), min, max), "{:?}", e),
            }
        }
    }

    #[test]
    fn pinned_placements_are_kept_and_a_forced_mismatch_is_explained() {
        use Style::*;
        let segments = [Calm, Calm, Calm, Energetic];
        let sessions = [
            Session {
                id: 1,
                style: Calm,
                capacity: 2,
            },
            Session {
                id: 2,
                style: Energetic,
                capacity: 2,
            },
        ];
        let a = assign(&segments, &sessions, &[(3, 1)]);
        assert_eq!(a.placed[3], Some(1), "the hand-made placement stays");
        assert_eq!(a.unplaced, 0);
        // Two calm seats, one taken by the pinned person: two calm people go energetic.
        assert_eq!(a.mismatched.len(), 3);
        assert_eq!(a.shortfalls, vec![(Calm, 3, 2)]);
        let full = assign(&segments, &sessions[..1], &[]);
        assert_eq!((full.unplaced, full.mismatched.len()), (2, 0));
    }

    #[test]
    fn groups_keep_one_anchor_together_and_small_anchors_join_the_nearest() {
        let m = |a: usize, s: f64, second: usize| {
            let mut scores = [1.0; 8];
            scores[a] = s;
            scores[second] = s - 1.0;
            Member { scores }
        };
        // Eight with service (5), two with autonomy leaning to service, five technical.
        let mut members: Vec<Member> = (0..8).map(|_| m(5, 7.0, 0)).collect();
        members.extend((0..2).map(|_| m(2, 6.0, 5)));
        members.extend((0..5).map(|_| m(0, 7.0, 1)));
        let groups = group(&members, 4, 6).expect("groups");
        let sizes: Vec<usize> = groups.iter().map(|g| g.members.len()).collect();
        assert_eq!(sizes.iter().sum::<usize>(), 15);
        let technical = groups
            .iter()
            .find(|g| g.anchors == vec![Anchor::TechnicalFunctional])
            .expect("a technical group of its own");
        assert_eq!(technical.homogeneity, 1.0);
        // The two autonomy people joined the service people (nearest profile).
        assert!(
            groups
                .iter()
                .any(|g| g.anchors.contains(&Anchor::Autonomy)
                    && g.anchors.contains(&Anchor::Service))
        );
        assert_eq!(
            group(&members[..3], 4, 6),
            Err(NoGrouping {
                people: 3,
                min: 4,
                max: 6
            })
        );
    }
}
