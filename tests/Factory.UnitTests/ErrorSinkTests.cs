using Factory.Manifests;

namespace Factory.UnitTests;

/// <summary>The bounded error list: the first ErrorSink.MaxKept kept, the rest counted, and a lazy message made only for the kept.</summary>
public sealed class ErrorSinkTests
{
    [Fact]
    public void A_lazy_message_is_made_only_for_the_errors_kept_and_the_rest_are_counted()
    {
        var sink = new ErrorSink();
        var made = 0;

        for (var i = 0; i < 50_000; i++)
        {
            var n = i;
            sink.Add("plans/p.yaml", $"matrix.light[{n}]", () => { made++; return $"no version {n}"; });
        }

        Assert.Equal(ErrorSink.MaxKept, made);
        Assert.Equal(50_000, sink.Count);
        var thrown = Assert.Throws<InvalidInputException>(sink.ThrowIfAny);
        Assert.Equal(ErrorSink.MaxKept + 1, thrown.Errors.Count);
        Assert.Equal("no version 99", thrown.Errors[ErrorSink.MaxKept - 1].Message);
        Assert.Contains("49,900 more errors", thrown.Errors[^1].Message);
    }
}
