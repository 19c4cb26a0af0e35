namespace Factory.ControlPlane.Access;

/// <summary>Roles by name, as the CLI, the API and the database spell them (lower case).</summary>
public static class Roles
{
    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();

    /// <summary>"reader, submitter, operator, admin": the accepted values, for error messages.</summary>
    public static string Accepted => string.Join(", ", All.Select(Name));

    public static string Name(this Role role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out Role role)
    {
        role = All.FirstOrDefault(r => string.Equals(r.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase));
        return role != default;
    }

    /// <summary>True when <paramref name="held"/> includes <paramref name="required"/>.</summary>
    public static bool Covers(this Role held, Role required) => held >= required;
}
