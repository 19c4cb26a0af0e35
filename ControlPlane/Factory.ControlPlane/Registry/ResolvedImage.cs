using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Manifests;

namespace Factory.ControlPlane.Registry;

public sealed record ResolvedImage(string Reference, string Digest);
