using System.Text.RegularExpressions;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// Where a failed record failed: the stage (build, test, size, deadline), what failed there, and for a build the module
/// whose fragment holds the failing instruction (with its owner), found from the line BuildKit names
/// ("Dockerfile:N") and the "# slot S: module …" comment the stitcher writes above each fragment. Null for a pass.
/// </summary>
public sealed partial record FailedStep(string Stage, string Detail, ModuleSelection? Module)
{
    [GeneratedRegex(@"Dockerfile:(\d+)")]
    private static partial Regex DockerfileLine();

    [GeneratedRegex(@"^\s*#\s*slot\s+(\S+?):", RegexOptions.Multiline)]
    private static partial Regex SlotComment();

    [GeneratedRegex(@"^\s*>\s*\[[^\]]*\]\s*(.+?):?\s*$", RegexOptions.Multiline)]
    private static partial Regex FailedInstruction();

    public static FailedStep? Locate(CompatibilityRecord record, string? dockerfile) => record.Status != RecordStatus.Failed ? null : record.Reason switch
    {
        FailureReason.BuildFailed => Build(record, dockerfile),
        FailureReason.TestFailed => new FailedStep("test",
            string.Join("; ", record.Tests.Where(t => t.Status == RecordStatus.Failed).Select(t => $"{t.Name}: {t.Reason ?? "failed"}")) is { Length: > 0 } tests
                ? $"test suite {record.TestSuiteId}: {tests}" : $"test suite {record.TestSuiteId}", null),
        FailureReason.SizeLimitExceeded => new FailedStep("size", record.LogTail?.Trim().Split('\n')[^1] ?? "the image is larger than the template's limit", null),
        _ => new FailedStep(record.Reason ?? "unknown", record.LogTail?.Trim().Split('\n')[^1] ?? "", null),
    };

    private static FailedStep Build(CompatibilityRecord record, string? dockerfile)
    {
        var log = record.LogTail ?? "";
        var instruction = FailedInstruction().Matches(log) is { Count: > 0 } m ? m[^1].Groups[1].Value : null;
        var slot = SlotFromDockerfile(log, dockerfile) ?? SlotFromLog(log);
        var module = slot is null ? null : record.Modules.FirstOrDefault(x => x.Slot == slot);
        var detail = instruction ?? "the build failed (no failing instruction in the log tail)";
        return new FailedStep("build", module is null && slot is null && instruction is not null && instruction.StartsWith("FROM", StringComparison.OrdinalIgnoreCase)
            ? $"base image: {detail}" : detail, module);
    }

    /// <summary>The slot comment nearest above the line BuildKit names.</summary>
    private static string? SlotFromDockerfile(string log, string? dockerfile)
    {
        if (dockerfile is null || DockerfileLine().Matches(log) is not { Count: > 0 } matches) return null;
        if (!int.TryParse(matches[^1].Groups[1].Value, out var line)) return null;
        var lines = dockerfile.Split('\n');
        for (var i = Math.Min(line, lines.Length) - 1; i >= 0; i--)
            if (SlotComment().Match(lines[i]) is { Success: true } slot) return slot.Groups[1].Value;
        return null;
    }

    /// <summary>BuildKit quotes a few lines of the Dockerfile around the failing one: the last slot comment quoted.</summary>
    private static string? SlotFromLog(string log)
    {
        var quoted = string.Join('\n', log.Split('\n').Select(l => l.Contains('|') ? l[(l.IndexOf('|') + 1)..] : l));
        return SlotComment().Matches(quoted) is { Count: > 0 } m ? m[^1].Groups[1].Value : null;
    }
}
