namespace Orders.Data;

/// <summary>The "Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Sqlite (default: a file in the temp folder, created on start) or Postgres.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Empty: for SQLite, orders.db in the temp folder, which the non-root user of the image can write.</summary>
    public string? ConnectionString { get; set; }
}
