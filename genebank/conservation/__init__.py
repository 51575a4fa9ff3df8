"""Conservation: seed lots, viability and moisture tests, regeneration, storage locations, crop
rules and the worklists they drive."""
