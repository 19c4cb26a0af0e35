using System.Text;
using Factory.ControlPlane.DeadLetters;
using Factory.Testing;

namespace Factory.UnitTests;

/// <summary>A dead letter is read without trusting it: a real work item is well-formed; anything else is malformed with why. (tests/hostile/messages has the rest.)</summary>
public sealed class DeadLetterBodyTests
{
    private static DeadLetterBody Read(string body) => DeadLetterBody.Read(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void A_work_item_as_MassTransit_sends_it_is_well_formed_with_its_build_key_and_plan()
    {
        var buildId = Guid.NewGuid();

        var body = DeadLetterBody.Read(DeadLetterSamples.WorkItemEnvelope(buildId, "plan_a"));

        Assert.Null(body.Malformed);
        Assert.Equal(buildId, body.BuildId);
        Assert.Equal("0123456789abcdef", body.IdempotencyKey);
        Assert.Equal("plan_a", body.PlanId);
        Assert.Equal(DeadLetterBody.WorkItemType, body.MessageType);
    }

    [Theory]
    [InlineData("not json", "not JSON: ")]
    [InlineData("\"a string\"", "not a MassTransit envelope: the body is a JSON string")]
    [InlineData("{\"messageType\": [\"urn:message:X:Y\"], \"message\": {}}", "unknown message type urn:message:X:Y")]
    [InlineData("{\"messageType\": [\"urn:message:Factory.Contracts.Messages:ExecuteWorkItem\"], \"message\": {\"buildId\": []}}", "Path: $.buildId")]
    public void Anything_else_is_malformed_with_its_reason(string text, string reason)
    {
        var body = Read(text);

        Assert.True(body.IsMalformed);
        Assert.Contains(reason, body.Malformed);
    }

    [Fact]
    public void A_huge_message_type_is_quoted_only_in_part()
    {
        var body = Read($"{{\"messageType\": [\"urn:message:{new string('x', 100_000)}\"], \"message\": {{}}}}");

        Assert.True(body.Malformed!.Length < 500, $"{body.Malformed.Length} characters");
    }

    [Fact]
    public void A_message_without_an_id_gets_one_from_its_content_that_stays_the_same()
    {
        var bytes = Encoding.UTF8.GetBytes("poison");

        Assert.Equal(DeadLetterBody.ContentId(bytes), DeadLetterBody.ContentId(Encoding.UTF8.GetBytes("poison")));
        Assert.NotEqual(DeadLetterBody.ContentId(bytes), DeadLetterBody.ContentId(Encoding.UTF8.GetBytes("poison!")));
        Assert.Matches("^sha256-[0-9a-f]{16}$", DeadLetterBody.ContentId(bytes));
    }
}
