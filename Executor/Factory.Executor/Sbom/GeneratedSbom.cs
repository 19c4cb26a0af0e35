using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Executor.Sbom;

/// <summary>A generated SBOM: the document, its JSON bytes, and how many components it lists.</summary>
public sealed record GeneratedSbom(CycloneDxDocument Document, byte[] Content, int ComponentCount);
