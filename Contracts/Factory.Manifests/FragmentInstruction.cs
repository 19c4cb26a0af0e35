using System.Text;
using System.Text.Json;

namespace Factory.Manifests;

/// <summary>One instruction of a module's Dockerfile fragment, with continuation lines joined.</summary>
public sealed record FragmentInstruction(int Line, string Keyword, string Arguments, string Text);
