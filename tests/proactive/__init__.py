"""A waiting thank-you lights the ring: the Proactive Events API and Login with
Amazon against a local fake."""
