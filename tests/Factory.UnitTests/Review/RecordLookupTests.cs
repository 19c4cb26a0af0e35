using Factory.Records;

namespace Factory.UnitTests.Review;

/// <summary>KEY|BUILD_ID arguments: whole, or a unique prefix of 8+ characters; the ranges an index answers.</summary>
public sealed class RecordLookupTests
{
    [Fact]
    public void A_prefix_shorter_than_eight_characters_is_refused()
    {
        Assert.Null(RecordPrefix.Of("abc1234"));
        Assert.Contains("at least 8 characters", RecordLookup.TooShort("abc1234").Message);
    }

    [Fact]
    public void A_hex_prefix_covers_keys_up_to_the_next_letter_and_build_ids_between_its_zero_and_f_paddings()
    {
        var prefix = RecordPrefix.Of("  0123ABCD ")!;
        Assert.Equal(("0123abcd", "0123abcdg"), (prefix.Text, prefix.KeyUpperBound));
        Assert.Equal(Guid.Parse("0123abcd-0000-0000-0000-000000000000"), prefix.LowestBuildId);
        Assert.Equal(Guid.Parse("0123abcd-ffff-ffff-ffff-ffffffffffff"), prefix.HighestBuildId);
        Assert.Equal(Guid.Parse("0123abcd-12ff-ffff-ffff-ffffffffffff"), RecordPrefix.Of("0123abcd-12")!.HighestBuildId);
    }

    [Fact]
    public void A_prefix_that_cannot_start_a_build_id_only_matches_keys()
    {
        Assert.Null(RecordPrefix.Of("0123abcd1")!.LowestBuildId); // a ninth hex digit where a build id has its first dash
        Assert.Null(RecordPrefix.Of("zzzzzzzzzz")!.LowestBuildId);
        Assert.Null(RecordPrefix.Of(new string('a', 64))!.LowestBuildId);
    }

    [Fact]
    public void One_candidate_is_found_several_are_ambiguous_and_none_is_not_found()
    {
        var key = new string('a', 64);
        Assert.Equal(key, RecordLookup.From("aaaaaaaa", new RecordCandidates([key], [])).Key);
        var build = Guid.NewGuid();
        Assert.Equal(build, RecordLookup.From("x", new RecordCandidates([], [build])).BuildId);
        var ambiguous = RecordLookup.From("aaaaaaaa", new RecordCandidates([key, new string('a', 63) + "b"], [build]));
        Assert.Equal(RecordLookupOutcome.Ambiguous, ambiguous.Outcome);
        Assert.Equal(3, ambiguous.Candidates!.Count);
        Assert.Contains("is ambiguous", ambiguous.Message);
        Assert.Contains(key, ambiguous.Message);
        Assert.Equal(RecordLookupOutcome.NotFound, RecordLookup.From("aaaaaaaa", new RecordCandidates([], [])).Outcome);
    }
}
