using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Factory.Messaging;

/// <summary>
/// The keys an options class reads, to tell a misspelt key (Bus:Transprot) from a setting: the binder ignores keys it
/// does not know, so a typo would otherwise leave the default in force without a word.
/// </summary>
public static class ConfigurationKeys
{
    /// <summary>Keys under <paramref name="section"/> that no property of <paramref name="options"/> (or of its nested option classes) reads, in full.</summary>
    public static IReadOnlyList<string> Unknown(IConfigurationSection section, Type options)
    {
        var unknown = new List<string>();
        Walk(section, options, unknown);
        return unknown;
    }

    /// <summary>Every key the class reads, for the message ("Bus:Transport, Bus:RabbitMq:Host, ...").</summary>
    public static IEnumerable<string> Known(string prefix, Type options) =>
        Settable(options).SelectMany(p => IsOptionsClass(p.PropertyType) ? Known($"{prefix}:{p.Name}", p.PropertyType) : [$"{prefix}:{p.Name}"]);

    private static void Walk(IConfigurationSection section, Type options, List<string> unknown)
    {
        var properties = Settable(options).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property)) unknown.Add(child.Path);
            else if (IsOptionsClass(property.PropertyType)) Walk(child, property.PropertyType, unknown);
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);
}
