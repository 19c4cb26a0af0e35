using System.Reflection;

namespace Factory.Testing;

/// <summary>
/// xUnit v2 disposes a test class through IDisposable or IAsyncLifetime, never through IAsyncDisposable alone: such a
/// class's DisposeAsync is never called, and what it cleans up (a proxy's socket file, a process, a directory) is left
/// behind by every run. Found by name, so this library needs no xUnit of its own.
/// </summary>
public static class UndisposedTestClasses
{
    /// <summary>The test classes of <paramref name="assembly"/> that implement IAsyncDisposable but neither IDisposable nor IAsyncLifetime.</summary>
    public static IReadOnlyList<string> In(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && HasTests(t))
            .Where(t => typeof(IAsyncDisposable).IsAssignableFrom(t) && !typeof(IDisposable).IsAssignableFrom(t)
                && t.GetInterfaces().All(i => i.FullName != "Xunit.IAsyncLifetime"))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool HasTests(Type type) =>
        type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Any(m => m.GetCustomAttributes(inherit: true).Any(a => IsFact(a.GetType())));

    private static bool IsFact(Type? attribute)
    {
        for (; attribute is not null; attribute = attribute.BaseType)
            if (attribute.FullName == "Xunit.FactAttribute") return true;
        return false;
    }
}
