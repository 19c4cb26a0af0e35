using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Failures;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>The control plane's HTTP API as the CLI uses it; problem details become the CLI's errors.</summary>
internal sealed class ControlPlaneClient : IDisposable
{
    private readonly string _baseUrl;
    private readonly HttpClient _http;

    /// <param name="token">The bearer token, or null to ask anonymously.</param>
    public ControlPlaneClient(string baseUrl, string? token)
    {
        _baseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A client with the token of --token-file, else FACTORY_TOKEN.</summary>
    public static ControlPlaneClient Connect(string baseUrl, string? tokenFile) => new(baseUrl, ControlPlaneToken.Read(tokenFile));

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null, bool notFoundIsNull = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        using var response = await SendRawAsync(request, ct);
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return default;
        return await ReadAsync(response, ct);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new InfrastructureException($"control plane at {_baseUrl}", $"not reachable ({ex.Message}); start the fleet with deploy/local/fleet.sh up");
        }
    }

    private async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == HttpStatusCode.BadRequest && TryProblem(body, out var errors))
            throw new InvalidInputException(errors);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new InvalidInputException($"{ControlPlaneToken.Variable}|{ControlPlaneToken.OptionName}", "",
                $"control plane at {_baseUrl} answered {(int)response.StatusCode} {response.StatusCode}: {Problem(body)}");
        if (!response.IsSuccessStatusCode)
            throw new InfrastructureException($"control plane at {_baseUrl}", $"{(int)response.StatusCode} {response.StatusCode}: {Problem(body)}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>GET, or null when the control plane answers 404.</summary>
    public async Task<JsonElement?> FindAsync(string path, CancellationToken ct)
    {
        var found = await SendAsync(HttpMethod.Get, path, null, ct, notFoundIsNull: true);
        return found.ValueKind == JsonValueKind.Undefined ? null : found;
    }

    /// <summary>GET; a 404 with problem details comes back as the problem (Found false) instead of an error.</summary>
    public Task<(bool Found, JsonElement Body)> GetOrProblemAsync(string path, CancellationToken ct) => SendOrProblemAsync(HttpMethod.Get, path, ct);

    public async Task<(bool Found, JsonElement Body)> SendOrProblemAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await SendRawAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.NotFound) return (true, await ReadAsync(response, ct));
        var body = await response.Content.ReadAsStringAsync(ct);
        try { return (false, JsonDocument.Parse(body).RootElement.Clone()); }
        catch (JsonException) { throw new InfrastructureException($"control plane at {_baseUrl}", $"404 without problem details on {path}: {body}"); }
    }

    public Task<JsonElement> PostJsonAsync(string path, object body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, JsonContent.Create(body, options: FactoryJson.Options), ct);

    private static bool TryProblem(string body, out List<InputError> errors)
    {
        errors = [];
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("errors", out var list) || list.ValueKind != JsonValueKind.Array) return false;
            foreach (var e in list.EnumerateArray())
                errors.Add(new InputError(e.GetProperty("file").GetString() ?? "", e.GetProperty("field").GetString() ?? "", e.GetProperty("message").GetString() ?? ""));
            return errors.Count > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Problem(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    public void Dispose() => _http.Dispose();
}
