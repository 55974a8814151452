"""Time differencing: consecutive releases of one group's statistics."""
import random
import unittest

from odoo.addons.prm_benchmark.lib.anonymity import AnonymityPolicy
from odoo.addons.prm_benchmark.lib.release_history import (
    KEEP, RELEASE, changed_firms, is_visible, release_decision)
from odoo.addons.prm_benchmark.lib.statistics import group_statistics


class TestReleaseDecision(unittest.TestCase):

    def test_first_release(self):
        self.assertEqual(release_decision(None, None, {1, 2}, 3), RELEASE)

    def test_one_more_firm_is_kept_back(self):
        old = set(range(22))
        self.assertEqual(release_decision(old, old, old | {99}, 3), KEEP)
        self.assertEqual(release_decision(old, old, old | {97, 98, 99}, 3),
                         RELEASE)

    def test_removal_counts(self):
        old = set(range(22))
        self.assertEqual(release_decision(old, old, old - {0}, 3), KEEP)
        # one removed and two added: three differ
        self.assertEqual(release_decision(old, old, (old - {0}) | {98, 99}, 3),
                         RELEASE)
        # a swap of one firm for another is two changes
        self.assertEqual(release_decision(old, old, (old - {0}) | {99}, 3), KEEP)

    def test_unchanged_and_final(self):
        old = set(range(6))
        self.assertEqual(release_decision(old, old, set(old), 3), KEEP)
        # a published period follows the same rule (no final bypass)
        self.assertEqual(release_decision(old, old, old | {9}, 3), KEEP)

    def test_withheld_release_in_between_does_not_reset(self):
        shown = set(range(5))
        # everybody left: a withheld release (nothing shown)
        self.assertEqual(release_decision(shown, shown, set(), 5), RELEASE)
        # back to the shown five plus one: compared with the last shown set
        self.assertEqual(release_decision(set(), shown, shown | {9}, 5), KEEP)
        self.assertEqual(release_decision(None, None, set(), 5), RELEASE)

    def test_changed_value_counts_as_a_changed_firm(self):
        old = {dealer: 100.0 for dealer in range(10)}
        one = dict(old)
        one[0] = 150.0
        self.assertEqual(changed_firms(old, one), 1)
        self.assertEqual(release_decision(old, old, one, 3), KEEP)
        three = dict(one)
        three.update({1: 1.0, 2: 2.0})
        self.assertEqual(release_decision(old, old, three, 3), RELEASE)

    def test_invalid_threshold(self):
        with self.assertRaises(ValueError):
            release_decision(None, None, set(), 0)


class TestTimeDifferencingProperty(unittest.TestCase):
    """An attacker sees every release and knows who joined or left between
    two of them (worst case). The sums behind two visible releases (mean *
    count) may differ only by the values of at least d firms.
    """

    def test_random_sequences(self):
        rng = random.Random(4711)
        for _case in range(400):
            k = rng.choice([2, 3, 5])
            d = rng.choice([k, 3])
            policy = AnonymityPolicy(min_group_size=k,
                                     min_group_size_extremes=max(10, 2 * k),
                                     max_share=1)
            values = {dealer: float(rng.randrange(1, 10 ** 6))
                      for dealer in range(30)}
            current, released, last_visible = {}, None, None
            observed = []   # every visible release: (contributors, n, mean)
            for _step in range(80):
                roll = rng.random()
                if current and roll < 0.3:
                    current.pop(rng.choice(sorted(current)))
                elif current and roll < 0.45:   # a firm corrects its value
                    current[rng.choice(sorted(current))] = float(
                        rng.randrange(1, 10 ** 6))
                else:
                    dealer = rng.randrange(30)
                    current[dealer] = values[dealer]
                if release_decision(released, last_visible, current,
                                    d) != RELEASE:
                    continue
                released = dict(current)
                present = [released[x] for x in sorted(released)]
                stats = policy.filter_statistics(group_statistics(present),
                                                 present)
                if is_visible(len(present), k):
                    last_visible = dict(released)
                    self.assertIsNone(stats['withheld'])
                    observed.append((dict(released), stats['count'],
                                     stats['mean']))
                else:
                    self.assertEqual(stats['withheld'], 'group_too_small')
            for (before, n_a, mean_a), (after, n_b, mean_b) in zip(
                    observed, observed[1:]):
                # what the attacker computes (difference of the sums) is a
                # sum over the changed contributions of at least d firms
                changed = {x for x in before.keys() | after.keys()
                           if before.get(x) != after.get(x)}
                self.assertGreaterEqual(len(changed), d)
                self.assertEqual(len(changed), changed_firms(before, after))
                difference = mean_b * n_b - mean_a * n_a
                expected = sum(after.get(x, 0.0) - before.get(x, 0.0)
                               for x in changed)
                self.assertAlmostEqual(difference, expected,
                                       delta=1e-6 * max(1.0, abs(expected)))


class TestDefinitionChange(unittest.TestCase):
    """Outside review: the same firms and values with other statistics (a
    KPI's direction changed) are released at once; a change of firms still
    follows the rule."""

    def test_same_contributions_other_statistics_are_released(self):
        same = {1: 10.0, 2: 20.0, 3: 30.0, 4: 40.0, 5: 50.0}
        self.assertEqual(release_decision(
            same, same, dict(same), 5, statistics_changed=True),
            RELEASE)
        self.assertEqual(release_decision(
            same, same, dict(same), 5), KEEP)

    def test_few_changed_firms_stay_held_back_whatever_the_statistics(self):
        before = {1: 10.0, 2: 20.0, 3: 30.0, 4: 40.0, 5: 50.0}
        after = dict(before)
        after[5] = 55.0
        self.assertEqual(release_decision(
            before, before, after, 5, statistics_changed=True),
            KEEP)
