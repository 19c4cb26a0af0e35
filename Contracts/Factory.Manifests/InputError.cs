namespace Factory.Manifests;

/// <summary>One problem with user input: the file, the field inside it, and what was expected.</summary>
public sealed record InputError(string File, string Field, string Message)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Field) ? $"{File}: {Message}" : $"{File}: {Field}: {Message}";
}
