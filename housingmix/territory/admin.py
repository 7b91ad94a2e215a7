from django.contrib import admin

from .models import Ambito, Comune


class ComuneInline(admin.TabularInline):
    model = Comune
    extra = 0
    fields = ["name", "istat_code", "cadastral_code", "province", "postcodes", "is_capofila"]


@admin.register(Ambito)
class AmbitoAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email"]
    inlines = [ComuneInline]


@admin.register(Comune)
class ComuneAdmin(admin.ModelAdmin):
    list_display = ["name", "istat_code", "cadastral_code", "province", "ambito", "is_capofila"]
    list_filter = ["ambito", "is_capofila"]
    search_fields = ["name", "istat_code", "cadastral_code"]
    list_select_related = ["ambito"]
