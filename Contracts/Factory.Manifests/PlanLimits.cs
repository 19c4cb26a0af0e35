namespace Factory.Manifests;

/// <summary>How large a plan may be. A plan is refused by its count, from its axes, before anything is expanded.</summary>
public static class PlanLimits
{
    /// <summary>The default cap on a plan's combinations (matrix × platforms, plus includes, before excludes).</summary>
    public const long DefaultMaxCombinations = 100_000;

    /// <summary>
    /// The combinations a plan names before excludes: the product of its matrix axes (distinct versions) and its
    /// platforms, plus its includes; null when the product does not fit in a long.
    /// </summary>
    public static long? CountBeforeExcludes(IEnumerable<int> axisLengths, int platforms, int includes)
    {
        try
        {
            return checked(axisLengths.Aggregate((long)platforms, (product, length) => product * length) + includes);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
