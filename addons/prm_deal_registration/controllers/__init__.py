from . import deals
