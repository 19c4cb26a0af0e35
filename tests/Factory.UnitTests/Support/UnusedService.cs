using System.Reflection;

namespace Factory.UnitTests.Support;

/// <summary>A dependency a test needs to build its subject but expects never to be called: any call fails the test.</summary>
public class UnusedService<T> : DispatchProxy where T : class
{
    public static T Create() => Create<T, UnusedService<T>>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        throw new NotSupportedException($"{typeof(T).Name}.{targetMethod!.Name} was not expected to be called");
}
