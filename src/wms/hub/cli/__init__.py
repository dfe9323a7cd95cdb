"""The hub's command line (``wms hub ...``): one module per group of commands; like the API,
it translates to the parts below and holds no rule of its own."""
