using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Signing;

namespace Factory.Evidence.Verification;

public sealed record VerificationCheck(string What, bool Ok, string Detail);
