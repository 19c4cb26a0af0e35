using Factory.Testing;

namespace Factory.UnitTests;

public sealed class TestClassDisposalTests
{
    [Fact]
    public void Every_test_class_that_cleans_up_is_one_xunit_disposes() =>
        Assert.Empty(UndisposedTestClasses.In(typeof(TestClassDisposalTests).Assembly));
}
