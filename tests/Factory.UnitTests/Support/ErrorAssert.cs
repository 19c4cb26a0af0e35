using Factory.Manifests;

namespace Factory.UnitTests.Support;

public static class ErrorAssert
{
    /// <summary>Asserts one of <paramref name="errors"/> is in a file ending with <paramref name="fileSuffix"/>, on exactly
    /// <paramref name="field"/>, with a message containing every one of <paramref name="messageParts"/>.</summary>
    public static InputError Has(IReadOnlyList<InputError> errors, string fileSuffix, string field, params string[] messageParts)
    {
        var match = errors.FirstOrDefault(e =>
            e.File.Replace('\\', '/').EndsWith(fileSuffix, StringComparison.Ordinal)
            && e.Field == field
            && messageParts.All(p => e.Message.Contains(p, StringComparison.Ordinal)));
        Assert.True(match is not null,
            $"expected an error in *{fileSuffix} on field '{field}' containing [{string.Join("] [", messageParts)}]; got:\n  "
            + string.Join("\n  ", errors.Select(e => e.ToString())));
        return match!;
    }

    public static IReadOnlyList<InputError> Throws(Action action) =>
        Assert.Throws<InvalidInputException>(action).Errors;
}
