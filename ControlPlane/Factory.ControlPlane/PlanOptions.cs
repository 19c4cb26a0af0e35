using Factory.Manifests;

namespace Factory.ControlPlane;

/// <summary>Bounds on what a submitted plan may cost (ControlPlane:Plans).</summary>
public sealed class PlanOptions
{
    /// <summary>A plan of more combinations than this (matrix × platforms + includes, before excludes) is refused with its count.</summary>
    public long MaxCombinations { get; set; } = PlanLimits.DefaultMaxCombinations;
    /// <summary>The largest plan document accepted by POST /api/plans, in bytes, however the body arrives (chunked included).</summary>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;
}
