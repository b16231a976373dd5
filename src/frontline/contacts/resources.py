"""The wrap-up reason catalogue (product → topic → reason) as resources."""

from __future__ import annotations

from frontline.auth.access import can_manage_reference_data, can_read_reference_data
from frontline.contacts import schemas
from frontline.contacts.models import WrapUpReason, WrapUpTopic
from frontline.core.resources import Reference, Resource
from frontline.org.resources import PRODUCT_REFERENCE

WRAP_UP_TOPICS = Resource(
    name="wrap-up-topics",
    model=WrapUpTopic,
    read_schema=schemas.WrapUpTopicRead,
    create_schema=schemas.WrapUpTopicCreate,
    update_schema=schemas.WrapUpTopicUpdate,
    filter_schema=schemas.WrapUpTopicFilters,
    search_columns=(WrapUpTopic.name,),
    order_by=(WrapUpTopic.product_id, WrapUpTopic.name),
    unique=(("product_id", "name"),),
    references={"product_id": PRODUCT_REFERENCE},
    can_read=can_read_reference_data,
    can_write=can_manage_reference_data,
)

WRAP_UP_REASONS = Resource(
    name="wrap-up-reasons",
    model=WrapUpReason,
    read_schema=schemas.WrapUpReasonRead,
    create_schema=schemas.WrapUpReasonCreate,
    update_schema=schemas.WrapUpReasonUpdate,
    filter_schema=schemas.WrapUpReasonFilters,
    search_columns=(WrapUpReason.name,),
    order_by=(WrapUpReason.topic_id, WrapUpReason.name),
    unique=(("topic_id", "name"),),
    references={"topic_id": Reference(WrapUpTopic, lambda row: f"{row.product.name} · {row.name}")},
    can_read=can_read_reference_data,
    can_write=can_manage_reference_data,
)
