"""The store the app reads: the built GeoPackage, with the figures of the active imported version on top.

The data step replaces the GeoPackage as a whole; imported figures live in the user-data file
(maison_geo.userdata), so a rebuild never loses them. Where an imported figure and an authored
one share a key, the imported one wins (figures.resolve: the latest import first, then status).
"""
from . import Store


class LayeredStore(Store):
    def __init__(self, base, userdata):
        self.base = base
        self.userdata = userdata

    @property
    def location(self):
        return self.base.location

    def exists(self):
        return self.base.exists()

    def meta(self):
        return self.base.meta()

    def units(self, vintage, simplified=True, source=False, bbox=None):
        return self.base.units(vintage, simplified, source, bbox)

    def unit_records(self, vintage):
        return self.base.unit_records(vintage)

    def data_version(self):
        """Changes whenever the figures may have: a rebuild of the base, another active version."""
        built = self.base.data_version()
        if built is None:
            return None  # a store in memory: no way to tell a change, so nothing is kept
        return built, self.userdata.location, self.userdata.data_version()

    def pin(self, version):
        """version: this store's data_version() (the base's is its first part)."""
        self.base.pin(version[0] if version else None)

    def unpin(self):
        self.base.unpin()

    def figures(self, vintage=None):
        return [*self.base.figures(vintage), *self.userdata.active_figures(vintage)]

    def crosswalk(self):
        return self.base.crosswalk()

    def facts(self):
        return self.base.facts()

    def sources(self):
        return self.base.sources()

    def era_patches(self):
        return self.base.era_patches()

    def replace(self, dataset):
        """Rebuilds replace the base only: user data is not part of a Dataset."""
        return self.base.replace(dataset)


def open_layered(store_location, userdata_location=None):
    """The app's store: the GeoPackage at store_location under the user data (default instance/userdata.sqlite)."""
    from ..userdata import UserData
    from . import open_store
    return LayeredStore(open_store(store_location), UserData(userdata_location))
