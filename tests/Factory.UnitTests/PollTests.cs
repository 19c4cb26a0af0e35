using Factory.Testing;

namespace Factory.UnitTests;

/// <summary>Poll: asks until the answer is acceptable, or gives the last answer once the deadline passed.</summary>
public sealed class PollTests
{
    [Fact]
    public async Task The_first_acceptable_answer_ends_the_wait()
    {
        var asked = 0;

        var polled = await Poll.UntilAsync(() => ++asked, n => n == 3, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1));

        Assert.Equal(new Polled<int>(3, Met: true), polled);
        Assert.Equal(3, asked);
    }

    [Fact]
    public async Task A_missed_deadline_gives_the_last_answer_unmet()
    {
        var asked = 0;

        var polled = await Poll.UntilAsync(() => ++asked, _ => false, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(20));

        Assert.False(polled.Met);
        Assert.Equal(asked, polled.Answer);
        Assert.True(asked >= 2, $"asked {asked} times in 500 ms");
    }
}
