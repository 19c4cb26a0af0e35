namespace Factory.Manifests;

/// <summary>One problem with user input: the file, the field inside it, and what was expected.</summary>
public sealed record InputError(string File, string Field, string Message)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Field) ? $"{File}: {Message}" : $"{File}: {Field}: {Message}";
}

/// <summary>Thrown when manifests, plans or state disagree with what Factory accepts. Maps to exit code 2.</summary>
public sealed class InvalidInputException(IReadOnlyList<InputError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<InputError> Errors { get; } = errors;

    public InvalidInputException(string file, string field, string message)
        : this([new InputError(file, field, message)]) { }
}
