"""Treatment plans for both MASH arms: catalog, tailoring, schedule, progression."""
