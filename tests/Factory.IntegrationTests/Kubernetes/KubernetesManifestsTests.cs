using System.Text.Json;
using Factory.Planning;
using Factory.Messaging;

namespace Factory.IntegrationTests.Kubernetes;

/// <summary>
/// deploy/k8s renders with kubectl kustomize and every object validates against the Kubernetes and KEDA schemas, offline;
/// the KEDA triggers name the queues the code uses, and each pool's executors land on nodes of its architecture.
/// </summary>
public sealed class KubernetesManifestsTests
{
    private const string ExecutorContainer = "executor";

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/cpu-only")]
    public async Task Every_object_renders_and_validates_against_the_Kubernetes_and_KEDA_schemas(string directory)
    {
        var objects = await KubernetesManifests.RenderValidAsync(directory);

        var kinds = objects.GroupBy(o => o.Kind()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, kinds["Deployment"]);
        Assert.Equal(2, kinds["PodDisruptionBudget"]);
        Assert.Equal(1, kinds["Service"]);
        Assert.Equal(1, kinds["TriggerAuthentication"]);
        Assert.True(kinds["ScaledJob"] >= 2, $"{directory} has {kinds["ScaledJob"]} ScaledJobs");
        Assert.DoesNotContain(objects, o => o.GetRawText().Contains("POOL", StringComparison.Ordinal) || o.GetRawText().Contains("\"ARCH\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_pool_of_the_code_has_executors_scaled_on_its_own_queue_on_nodes_of_its_architecture()
    {
        var objects = await KubernetesManifests.RenderValidAsync("base");
        var authentications = objects.OfKind("TriggerAuthentication").Select(a => a.Name()).ToHashSet();

        foreach (var pool in PoolCatalog.Default.Pools)
        {
            var job = Assert.Single(objects.OfKind("ScaledJob"), j => j.Label("factory.dev/pool") == pool.Name);
            var trigger = Assert.Single(job.GetProperty("spec").GetProperty("triggers").EnumerateArray());
            Assert.Equal("rabbitmq", trigger.GetProperty("type").GetString());
            var metadata = trigger.GetProperty("metadata").Strings();
            Assert.Equal(WorkQueues.For(pool.Name), metadata["queueName"]);
            // The management API counts the items running Jobs hold unacknowledged, which the default strategy subtracts.
            Assert.Equal(("http", "QueueLength", "1"), (metadata["protocol"], metadata["mode"], metadata["value"]));
            Assert.Contains(trigger.GetProperty("authenticationRef").GetProperty("name").GetString()!, authentications);

            var spec = job.PodSpec();
            var arch = pool.Platform.Split('/')[1];
            Assert.Equal(arch, spec.GetProperty("nodeSelector").GetProperty("kubernetes.io/arch").GetString());
            Assert.Equal("Never", spec.GetProperty("restartPolicy").GetString());
            Assert.True(spec.GetProperty("terminationGracePeriodSeconds").GetInt32() >= 300, "shorter than the executor's drain grace (300 s)");

            var executor = Assert.Single(job.Containers(), c => c.GetProperty("name").GetString() == ExecutorContainer);
            var args = executor.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal(pool.Name, args[args.IndexOf("--pool") + 1]);
            Assert.Equal("1", executor.EnvValue("Executor__ExitAfterItems"));
            Assert.True(int.Parse(executor.EnvValue("Executor__ExitWhenIdleSeconds")!) > 0);
            var limits = executor.GetProperty("resources").GetProperty("limits");
            var gpus = limits.TryGetProperty("nvidia.com/gpu", out var g) ? g.GetInt32() : 0;
            Assert.Equal(pool.Accelerator == "gpu" ? 1 : 0, gpus);
        }
        Assert.Equal(PoolCatalog.Default.Pools.Count, objects.OfKind("ScaledJob").Count());
    }

    [Fact]
    public async Task The_cpu_only_overlay_runs_every_pool_but_gpu()
    {
        var objects = await KubernetesManifests.RenderValidAsync("overlays/cpu-only");

        var pools = objects.OfKind("ScaledJob").Select(j => j.Label("factory.dev/pool")!).Order().ToList();
        Assert.Equal(PoolCatalog.Default.Pools.Where(p => p.Accelerator is null).Select(p => p.Name).Order().ToList(), pools);
    }

    [Theory]
    [InlineData("control-plane")]
    [InlineData("results-consumer")]
    public async Task A_service_is_probed_on_the_health_endpoints_and_kept_up_by_a_disruption_budget(string service)
    {
        var objects = await KubernetesManifests.RenderValidAsync("base");
        var deployment = objects.Named("Deployment", service);
        var container = Assert.Single(deployment.Containers());

        Assert.Equal("http://0.0.0.0:8080", container.EnvValue("ASPNETCORE_URLS"));
        var port = Assert.Single(container.GetProperty("ports").EnumerateArray());
        Assert.Equal(("http", 8080), (port.GetProperty("name").GetString(), port.GetProperty("containerPort").GetInt32()));
        foreach (var (probe, path) in new[] { ("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready"), ("startupProbe", "/health/live") })
        {
            var get = container.GetProperty(probe).GetProperty("httpGet");
            Assert.Equal((path, "http"), (get.GetProperty("path").GetString(), get.GetProperty("port").GetString()));
        }
        foreach (var bound in new[] { "requests", "limits" })
        {
            var resources = container.GetProperty("resources").GetProperty(bound);
            Assert.True(resources.TryGetProperty("cpu", out _) && resources.TryGetProperty("memory", out _), $"{service} has no {bound}");
        }

        var podLabels = deployment.PodTemplate().GetProperty("metadata").GetProperty("labels").Strings();
        var budget = objects.Named("PodDisruptionBudget", service);
        var selects = budget.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").Strings();
        // An empty selector would pass the check below and select every pod of the namespace.
        Assert.NotEmpty(selects);
        Assert.All(selects, l => Assert.Equal(l.Value, podLabels.GetValueOrDefault(l.Key)));
        Assert.True(budget.GetProperty("spec").GetProperty("minAvailable").GetInt32() < deployment.GetProperty("spec").GetProperty("replicas").GetInt32(),
            "the budget would block every eviction (node drains)");
        if (service == "control-plane")
        {
            var selector = objects.Named("Service", service).GetProperty("spec").GetProperty("selector").Strings();
            Assert.NotEmpty(selector);
            Assert.All(selector, l => Assert.Equal(l.Value, podLabels.GetValueOrDefault(l.Key)));
        }
    }

    [Fact]
    public async Task Credentials_come_only_from_Secrets_and_every_ConfigMap_referred_to_is_rendered()
    {
        var objects = await KubernetesManifests.RenderValidAsync("base");
        string[] secretish = ["Password", "SecretKey", "AccessKey", "ConnectionStrings__"];
        bool IsSecret(string name) => secretish.Any(s => name.Contains(s, StringComparison.Ordinal));
        var configMaps = objects.OfKind("ConfigMap").ToDictionary(c => c.Name());

        var fromSecrets = 0;
        foreach (var container in objects.Workloads().SelectMany(w => w.Containers()))
        {
            foreach (var env in container.Env().Where(e => IsSecret(e.GetProperty("name").GetString()!)))
            {
                Assert.False(env.TryGetProperty("value", out _), $"{env.GetProperty("name")} is a plain value");
                Assert.True(env.GetProperty("valueFrom").TryGetProperty("secretKeyRef", out _), $"{env.GetProperty("name")} is not from a Secret");
                fromSecrets++;
            }
            foreach (var source in container.TryGetProperty("envFrom", out var from) ? from.EnumerateArray() : [])
                Assert.True(configMaps.ContainsKey(source.GetProperty("configMapRef").GetProperty("name").GetString()!), $"no ConfigMap for {source}");
        }
        Assert.True(fromSecrets >= 9, $"only {fromSecrets} credentials from Secrets");
        Assert.All(configMaps.Values.SelectMany(c => c.GetProperty("data").EnumerateObject()), d => Assert.False(IsSecret(d.Name), $"{d.Name} in a ConfigMap"));
        var auth = Assert.Single(objects.OfKind("TriggerAuthentication"));
        Assert.Equal("host", Assert.Single(auth.GetProperty("spec").GetProperty("secretTargetRef").EnumerateArray()).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Images_are_the_local_registrys_and_an_overlay_overrides_every_one_of_them_executors_included()
    {
        var objects = await KubernetesManifests.RenderValidAsync("base");
        var images = objects.Workloads().SelectMany(w => w.Containers()).Select(c => c.GetProperty("image").GetString()!).ToList();
        Assert.All(images, i => Assert.Matches(@"^127\.0\.0\.1:5000/factory/(control-plane|results-consumer|executor):latest$", i));

        var overlay = Directory.CreateTempSubdirectory("factory-k8s-overlay-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(overlay.FullName, "kustomization.yaml"), $"""
                resources:
                  - {Path.GetRelativePath(overlay.FullName, Path.Combine(KubernetesManifests.Root, "base"))}
                images:
                  - name: 127.0.0.1:5000/factory/control-plane
                    newName: registry.example/factory/control-plane
                    newTag: "1.2.3"
                  - name: 127.0.0.1:5000/factory/results-consumer
                    newName: registry.example/factory/results-consumer
                    newTag: "1.2.3"
                  - name: 127.0.0.1:5000/factory/executor
                    newName: registry.example/factory/executor
                    newTag: "1.2.3"
                """);
            var overridden = await KubernetesManifests.RenderValidAsync(overlay.FullName, "--load-restrictor=LoadRestrictionsNone");
            var pairs = overridden.Workloads().SelectMany(w => w.Containers().Select(c => (w.Name(), c.GetProperty("image").GetString()!))).ToList();
            Assert.Equal(2 + PoolCatalog.Default.Pools.Count, pairs.Count);
            Assert.All(pairs, p => Assert.Matches(@"^registry\.example/factory/(control-plane|results-consumer|executor):1\.2\.3$", p.Item2));
        }
        finally
        {
            overlay.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_broken_manifest_fails_validation_naming_the_objects()
    {
        var rendered = await KubernetesManifests.RenderAsync("base");
        var broken = rendered
            .Replace("maxReplicaCount: 20", "maxReplicaCount: lots", StringComparison.Ordinal)
            .Replace("  replicas: 2\n", "  replicas: two\n", StringComparison.Ordinal);
        Assert.NotEqual(rendered, broken);

        var validation = await KubernetesManifests.ValidateAsync(broken);

        Assert.Equal(1, validation.ExitCode);
        Assert.Contains(validation.Problems, p => p.StartsWith("ScaledJob executor-amd64:", StringComparison.Ordinal) && p.Contains("maxReplicaCount"));
        Assert.Contains(validation.Problems, p => p.StartsWith("Deployment control-plane:", StringComparison.Ordinal) && p.Contains("replicas"));
        Assert.DoesNotContain(validation.Problems, p => p.StartsWith("Service ", StringComparison.Ordinal));
    }
}
