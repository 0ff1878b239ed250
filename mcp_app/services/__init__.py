"""Plain functions behind the MCP tools: a principal and a database URL in, pydantic models out, no MCP."""
