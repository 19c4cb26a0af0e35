namespace Factory.ControlPlane.Review;

/// <summary>Why nothing passes for a cell, as `resolve` reports it.</summary>
public static class ResolveReason
{
    public const string NoRecord = "no_record";
    public const string OnlyFailing = "only_failing";
    public const string Quarantined = "quarantined";
    /// <summary>A record passed, but on another base digest than the base's current one.</summary>
    public const string StaleBase = "stale_base";
    /// <summary>A record of the key passed, but under another test suite.</summary>
    public const string StaleTestSuite = "stale_test_suite";
    /// <summary>A record passed, but another key component (the template version) changed since.</summary>
    public const string StaleInputs = "stale_inputs";
}
