namespace Factory.IntegrationTests.Infrastructure;

/// <summary>Reading BuildKit's plain progress output (`#N [k/m] RUN ...`, then `#N CACHED` or `#N DONE`).</summary>
public static class BuildKitLog
{
    /// <summary>The progress lines of the step whose header line contains <paramref name="marker"/>.</summary>
    public static string StepLines(string log, string marker)
    {
        var lines = log.Split('\n');
        var header = lines.FirstOrDefault(l => l.Contains(marker) && l.StartsWith('#'));
        Assert.True(header is not null, $"no build step mentions {marker}:\n{log}");
        var step = header.Split(' ')[0];
        return string.Join('\n', lines.Where(l => l.StartsWith(step + " ")));
    }
}
