using Factory.Manifests;

namespace Factory.UnitTests;

/// <summary>DurationParser: 30s, 2m, 2h, 1h30m; nothing else.</summary>
public sealed class DurationParserTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h30m15s", 5415)]
    [InlineData("90m", 5400)]
    [InlineData("0h1s", 1)]
    [InlineData(" 45s ", 45)]
    public void A_valid_duration_is_parsed(string text, int seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0s")]
    [InlineData("0h0m0s")]
    [InlineData("30")]
    [InlineData("1d")]
    [InlineData("30S")]
    [InlineData("30m1h")]
    [InlineData("1.5h")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("٣s")]                    // an Arabic-Indic digit: \d would match it, long.Parse would throw
    [InlineData("99999999999999999999s")] // overflows long
    [InlineData("9999999999999h")]        // overflows TimeSpan
    public void An_invalid_duration_is_rejected_without_throwing(string text)
    {
        Assert.False(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Theory]
    [InlineData(30, "30s")]
    [InlineData(120, "2m")]
    [InlineData(7200, "2h")]
    [InlineData(5400, "90m")]
    [InlineData(5415, "5415s")]
    public void A_duration_is_formatted_in_its_largest_whole_unit(int seconds, string text)
    {
        Assert.Equal(text, DurationParser.Format(TimeSpan.FromSeconds(seconds)));
        Assert.True(DurationParser.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back);
    }
}
