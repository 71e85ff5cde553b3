"""Sensing and data integration: how sources identify actors, and who sees which record.

- `coverage`: which acts a source sees (coverage by urban/rural and region, detection,
  camera density);
- `registry`, `face`, `online`: the three identification methods and their error models;
- `names`, `buckets`: synthetic name frequencies and same-group draws;
- `sensing`: the sense step's work, method by method, over the day's acts;
- `platform`: department silos, sharing, delay and identity joins between departments;
- `provenance`: records by source and wrongful outcomes by cause.

Nothing here reads records of real people or matches images: every error is a probability.
"""
