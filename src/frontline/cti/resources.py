"""Telephony integrations and the dial plan as resources (admins only: they hold keys)."""

from __future__ import annotations

from frontline.auth.access import can_manage_reference_data, can_read_reference_data
from frontline.core.resources import ListFilters, Reference, Resource
from frontline.cti import schemas
from frontline.cti.models import CtiIntegration, DialPlanEntry
from frontline.org.models import Queue

CTI_INTEGRATIONS = Resource(
    name="cti-integrations",
    model=CtiIntegration,
    read_schema=schemas.IntegrationRead,
    create_schema=schemas.IntegrationCreate,
    update_schema=schemas.IntegrationUpdate,
    filter_schema=ListFilters,
    search_columns=(CtiIntegration.code, CtiIntegration.name),
    order_by=(CtiIntegration.name,),
    unique=(("code",),),
    can_read=can_manage_reference_data,
    can_write=can_manage_reference_data,
    secret_fields=frozenset({"secret"}),
)

DIAL_PLAN = Resource(
    name="dial-plan",
    model=DialPlanEntry,
    read_schema=schemas.DialPlanRead,
    create_schema=schemas.DialPlanCreate,
    update_schema=schemas.DialPlanUpdate,
    filter_schema=schemas.DialPlanFilters,
    search_columns=(DialPlanEntry.dialled,),
    order_by=(DialPlanEntry.dialled, DialPlanEntry.ivr_choice),
    unique=(("dialled", "ivr_choice"),),
    references={"queue_id": Reference(Queue, lambda row: row.name)},
    can_read=can_read_reference_data,
    can_write=can_manage_reference_data,
)
