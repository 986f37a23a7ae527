"""Great-circle distances, vectorised over numpy arrays."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Mean Earth radius (IUGG); the error against the ellipsoid is under 0.5%, far below what matters here.
EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]


def haversine_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> FloatArray:
    """Great-circle distance in km between points given in degrees; NaN where a coordinate is missing."""
    p1, l1, p2, l2 = (np.radians(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    # Clip guards against a few ulps above 1 for antipodal points.
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


def unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Points on the unit sphere (n x 3), so a km radius becomes a Euclidean (chord) radius for a k-d tree."""
    p = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    return np.stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)], axis=-1)


def chord_for_km(km: float) -> float:
    """Chord length on the unit sphere spanning `km` along the surface."""
    return float(2 * np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2))


def km_for_chord(chord: npt.ArrayLike) -> FloatArray:
    """Inverse of `chord_for_km`, elementwise; equals the haversine distance of the two points."""
    c = np.asarray(chord, dtype=np.float64)
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.clip(c / 2, 0.0, 1.0)), dtype=np.float64)
