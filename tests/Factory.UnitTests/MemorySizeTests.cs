using Factory.Executor.Engine;

namespace Factory.UnitTests;

public sealed class MemorySizeTests
{
    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("512M", 512L * 1024 * 1024)]
    [InlineData("2g", 2L * 1024 * 1024 * 1024)]
    [InlineData("1.5GiB", 3L * 512 * 1024 * 1024)]
    [InlineData("100kb", 100L * 1024)]
    [InlineData("1048576", 1048576L)]
    [InlineData(" 64m ", 64L * 1024 * 1024)]
    public void Sizes_are_read_as_docker_run_memory_reads_them(string text, long bytes)
    {
        Assert.True(MemorySize.TryParse(text, out var parsed), text);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("-1m")]
    [InlineData("12x")]
    [InlineData("0")]
    [InlineData("1,5g")]
    [InlineData("99999999999p")]
    [InlineData(null)]
    public void What_is_not_a_size_is_refused(string? text) => Assert.False(MemorySize.TryParse(text, out _));
}
