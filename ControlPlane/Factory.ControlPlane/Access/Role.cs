namespace Factory.ControlPlane.Access;

/// <summary>What a token may do. Ordered: each role may do everything the roles below it may.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(RoleJsonConverter))]
public enum Role
{
    /// <summary>Reads plans, records, the fleet and dead letters.</summary>
    Reader = 1,
    /// <summary>Also submits plans.</summary>
    Submitter = 2,
    /// <summary>Also cancels plans, replays dead letters and reads the audit log.</summary>
    Operator = 3,
    /// <summary>Also manages tokens.</summary>
    Admin = 4,
}
