"""The MCP app: coaching tools for reps and managers over the marts, with per-person scopes and an audit log."""
