using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// Which image passes for a cell as the manifest stands now: the newest passing record of the expected key and test
/// suite. Otherwise the reason, looked for in this order: records of the key that only failed (quarantined when the
/// newest failed after its image was built, else only failing); a pass of the key under another suite (stale test
/// suite); a pass of the cell with other inputs (stale base when the base digest differs, else stale inputs);
/// failures only (quarantined or only failing); nothing at all (no record).
/// </summary>
public static class ResolvePolicy
{
    public static ResolveAnswer Decide(ExpectedCell expected, IEnumerable<RecordFacts> cellRecords)
    {
        var records = cellRecords.Where(r => CellId.Of(r) == expected.Cell && r.Status != RecordStatus.Expired).OrderByDescending(r => r.RecordedAt).ToList();
        var ofKey = records.Where(r => r.IdempotencyKey == expected.IdempotencyKey).ToList();
        var sameInputs = ofKey.Where(r => r.TestSuiteHash == expected.TestSuiteHash).ToList();
        if (sameInputs.FirstOrDefault(r => r.Status == RecordStatus.Passed && r.Image is not null) is { } passed)
        {
            var flaky = sameInputs.Any(r => r.Status == RecordStatus.Failed);
            return new ResolveAnswer(true, null, $"passed in build {passed.BuildId} at {passed.RecordedAt:u}{(flaky ? " (flaky: the same inputs also failed)" : "")}",
                passed, passed.Image, DigestOf(passed.Image!), flaky);
        }
        if (sameInputs.FirstOrDefault() is { } failed) return Failing(failed, expected);
        if (ofKey.FirstOrDefault(r => r.Status == RecordStatus.Passed) is { } otherSuite)
            return new ResolveAnswer(false, ResolveReason.StaleTestSuite,
                $"build {otherSuite.BuildId} passed under test suite {Short(otherSuite.TestSuiteHash)}, the suite is now {Short(expected.TestSuiteHash)}: run the plan again", otherSuite, null, null);
        if (records.FirstOrDefault(r => r.Status == RecordStatus.Passed) is { } stale)
            return stale.BaseDigest != expected.BaseDigest
                ? new ResolveAnswer(false, ResolveReason.StaleBase,
                    $"build {stale.BuildId} passed on base {Short(stale.BaseDigest)}, the base is now {Short(expected.BaseDigest)}: run the plan again", stale, null, null)
                : new ResolveAnswer(false, ResolveReason.StaleInputs,
                    $"build {stale.BuildId} passed with other inputs (template version {stale.TemplateVersion}): run the plan again", stale, null, null);
        if (records.FirstOrDefault() is { } older) return Failing(older, expected);
        return new ResolveAnswer(false, ResolveReason.NoRecord,
            $"no record of {expected.Cell.ManifestId} with {(expected.Cell.Modules.Length == 0 ? "no modules" : expected.Cell.Modules)} on {expected.Cell.Platform}", null, null, null);
    }

    private static ResolveAnswer Failing(RecordFacts newest, ExpectedCell expected) =>
        CellState.IsQuarantined(newest)
            ? new ResolveAnswer(false, ResolveReason.Quarantined,
                $"build {newest.BuildId} failed ({newest.Reason}); its image {newest.Image} is quarantined, never promoted", newest, null, null)
            : new ResolveAnswer(false, ResolveReason.OnlyFailing,
                $"{expected.Cell.ManifestId} on {expected.Cell.Platform} only failed: newest build {newest.BuildId} ({newest.Reason})", newest, null, null);

    /// <summary>repo@sha256:… → sha256:…; an image without a digest is its own answer.</summary>
    public static string DigestOf(string image)
    {
        var at = image.LastIndexOf('@');
        return at >= 0 ? image[(at + 1)..] : image;
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
