using System.Globalization;
using Factory.Manifests;

namespace Factory.ControlPlane.Review;

/// <summary>
/// One side of a comparison: the matrix as it stood until a time (exclusive; null: now), optionally only one plan's
/// records. Label says which, for a person.
/// </summary>
public sealed record ComparisonSide(string Label, DateTimeOffset? Until, string? PlanId)
{
    public static readonly ComparisonSide Now = new("now", null, null);

    /// <summary>
    /// <paramref name="at"/>: an RFC 3339 time, or a duration ago (7d, 12h); <paramref name="plan"/>: a plan id whose
    /// records make the side. Neither: now. Bad input throws naming <paramref name="file"/> and <paramref name="field"/>.
    /// </summary>
    public static ComparisonSide Parse(string? at, string? plan, DateTimeOffset now, string file, string field = "")
    {
        DateTimeOffset? until = null;
        if (!string.IsNullOrWhiteSpace(at))
        {
            if (Durations.TryParse(at, out var ago)) until = now - ago;
            else if (DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) until = time;
            else throw new InvalidInputException(file, field, $"expected an RFC 3339 time (2026-11-30T12:00:00Z), a duration ago (7d, 12h) or a plan run id, found {Names.Quote(at)}");
        }
        var label = (until, plan) switch
        {
            (null, null) => "now",
            (null, { } p) => $"plan {p}",
            ({ } u, null) => $"as of {u:u}",
            ({ } u, { } p) => $"plan {p} as of {u:u}",
        };
        return new ComparisonSide(label, until, string.IsNullOrWhiteSpace(plan) ? null : plan);
    }
}
