using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.Executor.Sbom;
using Factory.Executor.Stages;

namespace Factory.UnitTests;

public sealed class SbomStageTests
{
    [Fact]
    public async Task The_stage_reads_the_package_databases_from_the_image_and_returns_the_sbom_with_its_size_and_time()
    {
        var engine = FakeEngine.Create(SbomSamples.DebianFiles());
        var stage = new SbomStage(engine, TimeProvider.System);

        var result = await stage.RunAsync(SbomSamples.Item(), SbomSamples.Image, CancellationToken.None);

        var read = Assert.Single(((FakeEngine)(object)engine).Reads);
        Assert.Equal((SbomSamples.Image, "linux/amd64"), (read.Image, read.Platform));
        Assert.Equal(["/etc/os-release", "/usr/lib/os-release", "/var/lib/dpkg/status", "/lib/apk/db/installed"], read.Paths);
        var bom = JsonDocument.Parse(result.Content).RootElement;
        Assert.Equal(result.ComponentCount, bom.GetProperty("components").GetArrayLength());
        Assert.Equal(9, result.ComponentCount); // the OS, 6 installed packages, 2 modules
        Assert.True(result.Duration > TimeSpan.Zero);
        Assert.Equal("sbom.cdx.json", SbomStage.EvidenceName);
    }

    [Fact]
    public async Task The_stage_has_its_own_span_and_records_its_duration_in_the_histogram()
    {
        var platform = "linux/test-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ExecutorTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new List<(string Instrument, double Value, string? Unit, object? Platform)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == ExecutorMetrics.MeterName) l.EnableMeasurementEvents(instrument); },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var tagged = tags.ToArray().FirstOrDefault(t => t.Key == "factory.platform").Value;
            lock (measurements) measurements.Add((instrument.Name, value, instrument.Unit, tagged));
        });
        meters.Start();

        var result = await new SbomStage(FakeEngine.Create(SbomSamples.AlpineFiles()), TimeProvider.System)
            .RunAsync(SbomSamples.Item() with { Platform = platform }, SbomSamples.Image, CancellationToken.None);

        var span = Assert.Single(spans, s => s.OperationName == "sbom" && (string?)s.GetTagItem("factory.platform") == platform);
        Assert.Equal(result.ComponentCount, span.GetTagItem("factory.sbom.components"));
        var measurement = Assert.Single(measurements, m => Equals(m.Platform, platform));
        Assert.Equal(("factory.sbom.duration", "s"), (measurement.Instrument, measurement.Unit));
        Assert.Equal(result.Duration.TotalSeconds, measurement.Value);
    }

    [Fact]
    public async Task An_engine_failure_while_reading_the_image_propagates()
    {
        var engine = FakeEngine.Create(failure: new Factory.Contracts.Failures.InfrastructureException("docker engine", "gone"));

        await Assert.ThrowsAsync<Factory.Contracts.Failures.InfrastructureException>(() =>
            new SbomStage(engine, TimeProvider.System).RunAsync(SbomSamples.Item(), SbomSamples.Image, CancellationToken.None));
    }

    /// <summary>
    /// IContainerEngine that only reads files (from a dictionary). A proxy rather than a class, so members other
    /// engineers add to the interface do not break this test.
    /// </summary>
    public class FakeEngine : DispatchProxy
    {
        public IReadOnlyDictionary<string, byte[]> Files { get; private set; } = new Dictionary<string, byte[]>();
        public Exception? Failure { get; private set; }
        public List<(string Image, string Platform, IReadOnlyList<string> Paths)> Reads { get; } = [];

        public static IContainerEngine Create(IReadOnlyDictionary<string, byte[]>? files = null, Exception? failure = null)
        {
            var engine = Create<IContainerEngine, FakeEngine>();
            var fake = (FakeEngine)(object)engine;
            fake.Files = files ?? new Dictionary<string, byte[]>();
            fake.Failure = failure;
            return engine;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method?.Name != nameof(IContainerEngine.ReadFilesAsync)) throw new NotSupportedException($"the SBOM stage should not call {method?.Name}");
            if (Failure is not null) return Task.FromException<IReadOnlyDictionary<string, byte[]>>(Failure);
            var paths = (IReadOnlyList<string>)args![2]!;
            Reads.Add(((string)args[0]!, (string)args[1]!, paths));
            IReadOnlyDictionary<string, byte[]> found = paths.Where(Files.ContainsKey).ToDictionary(p => p, p => Files[p]);
            return Task.FromResult(found);
        }
    }
}
