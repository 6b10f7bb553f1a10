// Names for the generated API types (src/api/schema.d.ts, from api/openapi.yaml).
import type { components, operations } from './schema';

type S = components['schemas'];

export type Role = S['Role'];
export type Status = S['Status'];
export type User = S['User'];
export type LoginResponse = S['LoginResponse'];
/** How far each permission of the signed-in user's role reaches (from sign-in). */
export type Permissions = LoginResponse['permissions'];
export type PageMeta = S['PageMeta'];
export type ApiErrorBody = S['Error'];
export type FieldDetail = ApiErrorBody['error']['details'][number];
export type Image = S['Image'];
export type SEO = S['SEO'];
export type Metric = S['Metric'];
export type Testimonial = S['Testimonial'];
/** SEO fields as the editor edits them: text, "" for none (answers show none as null). */
export type EditSEO = { [K in keyof SEO]-?: string };
/** A testimonial as the editor edits it: "" for an empty role (answers show it as null). */
export type EditTestimonial = { [K in keyof Testimonial]-?: string };
export type Heading = S['Heading'];
export type Rendered = S['Rendered'];
export type TagCount = S['TagCount'];
export type UserRef = S['UserRef'];
export type StatusCounts = S['StatusCounts'];
export type EntrySummary = S['EntrySummary'];
export type AllowedAction = S['AllowedActions'][number];
export type AdminPost = S['AdminPost'];
export type AdminPostItem = S['AdminPostItem'];
export type AdminCaseStudy = S['AdminCaseStudy'];
export type AdminCaseStudyItem = S['AdminCaseStudyItem'];
export type PostWrite = S['PostWrite'];
export type PostPatch = S['PostPatch'];
export type PostFields = S['PostFields'];
export type AdminPage = S['AdminPage'];
export type AdminPageItem = S['AdminPageItem'];
export type PageWrite = S['PageWrite'];
export type PageFields = S['PageFields'];
export type CaseStudyWrite = S['CaseStudyWrite'];
export type CaseStudyPatch = S['CaseStudyPatch'];
export type CaseStudyFields = S['CaseStudyFields'];
export type Revision = S['Revision'];
export type PostRevision = operations['getPostRevision']['responses'][200]['data'];
export type CaseStudyRevision = operations['getCaseStudyRevision']['responses'][200]['data'];
export type APIToken = S['APIToken'];
export type NewAPIToken = operations['createToken']['responses'][201]['data'];
export type AuditEntry = S['AuditEntry'];
export type Stats = operations['adminStats']['responses'][200]['data'];
export type AdminConfig = operations['adminConfig']['responses'][200]['data'];
export type AdminSort = NonNullable<operations['adminListPosts']['query']['sort']>;
export type MediaItem = S['MediaItem'];
export type MediaDetail = S['MediaDetail'];
export type MediaUse = S['MediaUse'];
export type Variant = S['Variant'];
export type Webhook = S['Webhook'];
export type WebhookWithSecret = S['WebhookWithSecret'];
export type WebhookEvent = S['WebhookEvent'];
export type WebhookInput = S['WebhookInput'];
export type WebhookPatch = S['WebhookPatch'];
export type Delivery = S['Delivery'];
export type DeliveryStatus = Delivery['status'];

/** The two kinds of entries, as the API names them in summaries. */
export type EntryType = 'post' | 'case_study' | 'page';
export type SiteSettings = S['SiteSettings'];
export type SiteSettingsPatch = S['SiteSettingsPatch'];
export type NavLink = S['NavLink'];
export type SocialLink = S['SocialLink'];
