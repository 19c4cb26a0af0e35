namespace Factory.ControlPlane.Review;

/// <summary>
/// Reads an evidence object by URI, null when the store holds nothing there (the evidence stores live in the
/// callers: the control plane has no evidence types of its own).
/// </summary>
public delegate Task<byte[]?> EvidenceReader(string uri, CancellationToken ct);
