"""What every API endpoint shares: its error answers, its request parsers, the month field,
and the schema's documented errors."""
