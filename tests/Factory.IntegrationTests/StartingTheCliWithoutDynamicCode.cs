using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>
/// Every command but `serve` runs without dynamic code (Program.cs), which is most of why a short command starts quickly:
/// System.Text.Json then reads and writes properties by reflection instead of first compiling emitted accessors. The
/// switch is silently ignored if anything reads it before it is set, so this reads the JIT's own list of what it compiled.
/// </summary>
public sealed class StartingTheCliWithoutDynamicCode : IDisposable
{
    private readonly ScratchStore _store = new();
    private readonly string _jitList = Path.Combine(Path.GetTempPath(), $"factory-it-jit-{Guid.NewGuid():N}.txt");

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_jitList);
    }

    [Fact]
    public async Task A_command_that_reads_and_writes_json_compiles_no_emitted_method()
    {
        await FactoryCli.RunAsync("--help"); // builds the CLI first, if it must, so that the list below is the command's alone
        var render = await FactoryCli.RunAsync(_store.Args("plan", "render", "--manifest", "core_smoke", "--json"),
            new Dictionary<string, string> { ["DOTNET_JitDisasmSummary"] = "1", ["DOTNET_JitStdOutFile"] = _jitList });
        Assert.True(render.ExitCode == 0, render.ToString());
        Assert.Contains("\"idempotency_key\"", render.Stdout);

        var compiled = File.ReadAllLines(_jitList);
        // The list is real: the command compiles hundreds of generic methods that no image holds precompiled.
        Assert.True(compiled.Length > 100, $"the JIT listed {compiled.Length} methods");
        // Emitted methods are listed as (dynamicClass); interop stubs are emitted with or without dynamic code.
        var emitted = compiled.Where(l => l.Contains("(dynamicClass)") && !l.Contains("IL_STUB")).ToList();
        Assert.True(emitted.Count == 0, $"{emitted.Count} emitted methods, the first: {emitted.FirstOrDefault()}");
    }
}
