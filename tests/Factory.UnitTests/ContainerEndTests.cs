using Docker.DotNet.Models;
using Factory.Executor.Engine;

namespace Factory.UnitTests;

/// <summary>A container's end read from its events: die's exit code, and an oom before it.</summary>
public sealed class ContainerEndTests
{
    private static Message Event(string action, string? exitCode = null) => new()
    {
        Type = "container",
        Action = action,
        Actor = new Actor { ID = "c1", Attributes = exitCode is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["exitCode"] = exitCode } },
    };

    [Fact]
    public void A_die_gives_the_exit_code_and_says_it_died_once()
    {
        var died = 0;
        var end = new ContainerEnd(() => died++);

        end.Report(Event("start"));
        Assert.Null(end.ExitCode);
        end.Report(Event("die", "4"));
        end.Report(Event("die", "0"));

        Assert.Equal(4, end.ExitCode);
        Assert.False(end.OomKilled);
        Assert.Equal(1, died);
    }

    [Fact]
    public void An_oom_before_the_die_marks_the_end_as_killed_for_memory()
    {
        var end = new ContainerEnd();

        end.Report(Event("oom"));
        end.Report(Event("die", "137"));

        Assert.Equal((137, true), (end.ExitCode, end.OomKilled));
    }

    [Fact]
    public void A_die_without_an_exit_code_is_minus_one()
    {
        var end = new ContainerEnd();

        end.Report(Event("die"));

        Assert.Equal(-1, end.ExitCode);
    }
}
