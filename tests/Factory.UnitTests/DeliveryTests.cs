using System.Text.RegularExpressions;
using Factory.Executor;

namespace Factory.UnitTests;

/// <summary>Delivery: every delivery of a build names its work directory and containers apart from every other.</summary>
public sealed class DeliveryTests
{
    private static readonly Guid Build = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void Two_deliveries_of_the_same_build_and_attempt_share_no_directory_and_no_container_name()
    {
        var first = Delivery.New(Build, 1);
        var second = Delivery.New(Build, 1);

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.WorkDirectory("/state"), second.WorkDirectory("/state"));
        Assert.NotEqual(first.ContainerName("test", 1), second.ContainerName("test", 1));
        Assert.NotEqual(first.ContainerName("run", 1), second.ContainerName("run", 1));
    }

    [Fact]
    public void A_name_says_which_build_and_attempt_it_belongs_to()
    {
        var delivery = new Delivery(Build, 3, "a1b2c3d4");

        Assert.Equal("0f8fad5bd9cb469fa16570867728950e-a3-a1b2c3d4", delivery.Id);
        Assert.Equal("/state/work/0f8fad5bd9cb469fa16570867728950e-a3-a1b2c3d4", delivery.WorkDirectory("/state"));
        Assert.Equal("factory-0f8fad5bd9cb469fa16570867728950e-a3-a1b2c3d4-test2", delivery.ContainerName("test", 2));
    }

    [Fact]
    public void Container_names_are_names_the_engine_accepts_and_tokens_are_random_hex()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => Delivery.New(Build, 12)).ToList();

        Assert.All(tokens, d => Assert.Matches("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$", d.ContainerName("run", 10)));
        Assert.All(tokens, d => Assert.Matches("^[0-9a-f]{8}$", d.Token));
        Assert.Equal(200, tokens.Select(d => d.Token).Distinct().Count());
    }

    [Fact]
    public void Containers_of_one_delivery_are_numbered_apart()
    {
        var delivery = Delivery.New(Build, 1);
        var names = new[] { delivery.ContainerName("test", 1), delivery.ContainerName("test", 2), delivery.ContainerName("run", 1) };
        Assert.Equal(3, names.Distinct().Count());
        Assert.All(names, n => Assert.StartsWith($"factory-{Build:N}-a1-", n));
        Assert.DoesNotMatch(new Regex("^factory-read-"), names[0]);
    }
}
