using System.Text;
using Factory.ControlPlane.DeadLetters;
using Factory.Testing;
using Factory.UnitTests.Support;

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

    [Fact]
    public void A_result_on_results_error_is_well_formed_with_its_build_key_plan_and_whether_it_carries_a_signature()
    {
        using var key = Factory.Signing.SigningKey.Generate();
        var unsigned = SignedResults.Unsigned("key9");
        var signed = SignedResults.Sign(unsigned, key);

        var read = DeadLetterBody.ReadResult(DeadLetterSamples.ResultEnvelope(unsigned));
        var readSigned = DeadLetterBody.ReadResult(DeadLetterSamples.ResultEnvelope(signed));

        Assert.Null(read.Malformed);
        Assert.Equal((unsigned.BuildId, "key9", unsigned.Item.PlanId, false), (read.BuildId, read.IdempotencyKey, read.PlanId, read.Signed));
        Assert.Equal(DeadLetterBody.ResultType, read.MessageType);
        Assert.True(readSigned.Signed);
    }

    [Fact]
    public void A_work_item_on_results_error_and_a_result_on_a_pools_queue_are_malformed()
    {
        var workItem = DeadLetterBody.ReadResult(DeadLetterSamples.WorkItemEnvelope(Guid.NewGuid()));
        var result = DeadLetterBody.Read(DeadLetterSamples.ResultEnvelope(SignedResults.Unsigned()));

        Assert.Contains($"the results queue takes {DeadLetterBody.ResultType}", workItem.Malformed);
        Assert.Contains($"a pool's queue takes {DeadLetterBody.WorkItemType}", result.Malformed);
    }

    [Fact]
    public void A_result_without_its_required_fields_is_malformed_naming_the_schema()
    {
        var body = DeadLetterBody.ReadResult(Encoding.UTF8.GetBytes($"{{\"messageType\": [\"{DeadLetterBody.ResultType}\"], \"message\": {{\"buildId\": \"{Guid.NewGuid()}\"}}}}"));

        Assert.StartsWith("wrong schema for WorkItemCompleted:", body.Malformed);
    }
}
